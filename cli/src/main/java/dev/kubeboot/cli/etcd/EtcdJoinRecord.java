package dev.kubeboot.cli.etcd;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What a control-plane join told the etcd cluster before it added this node's member: the peer URL
 * the member is known by and the client URLs of the members it asked. Written before the member is
 * added, so a join killed before this node's etcd manifest exists (or before its etcd ever ran)
 * still leaves reset what it needs to take that member out again; without it the others would keep
 * a learner that never starts, and etcd admits one learner at a time, so no other node could join.
 *
 * <p>Two lines of text: {@code peer-url <url>} and {@code endpoints <url>[,<url>...]}.
 */
public record EtcdJoinRecord(String peerUrl, List<String> endpoints) {
  private static final String PEER = "peer-url ";
  private static final String ENDPOINTS = "endpoints ";

  public EtcdJoinRecord {
    if (peerUrl.isBlank() || peerUrl.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("peer URL \"" + peerUrl + "\" is blank or has spaces");
    }
    endpoints = List.copyOf(endpoints);
    for (String e : endpoints) {
      if (e.isBlank() || e.contains(",") || e.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException(
            "etcd endpoint \"" + e + "\" is blank or has , or spaces");
      }
    }
  }

  public byte[] toBytes() {
    return (PEER + peerUrl + "\n" + ENDPOINTS + String.join(",", endpoints) + "\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  /**
   * @return empty when the text is not such a record (reset then goes by the etcd manifest alone)
   */
  public static Optional<EtcdJoinRecord> parse(byte[] content) {
    String peer = null;
    List<String> endpoints = new ArrayList<>();
    for (String line : new String(content, StandardCharsets.UTF_8).lines().toList()) {
      if (line.startsWith(PEER)) {
        peer = line.substring(PEER.length()).strip();
      } else if (line.startsWith(ENDPOINTS)) {
        Arrays.stream(line.substring(ENDPOINTS.length()).strip().split(","))
            .filter(s -> !s.isBlank())
            .forEach(endpoints::add);
      }
    }
    if (peer == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(new EtcdJoinRecord(peer, endpoints));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
