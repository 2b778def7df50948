package dev.kubeboot.cli.etcd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where this node's etcd serves, as its static Pod manifest tells etcd: the client URLs it
 * advertises and the peer URL the other members know it by (what reset looks its member up by).
 */
public record EtcdManifestUrls(List<String> clientUrls, Optional<String> peerUrl) {
  private static final Pattern CLIENT = Pattern.compile("--advertise-client-urls=([^\\s\"']+)");
  private static final Pattern PEER = Pattern.compile("--initial-advertise-peer-urls=([^\\s\"']+)");

  public EtcdManifestUrls {
    clientUrls = List.copyOf(clientUrls);
  }

  /**
   * @return empty when there is no etcd manifest (no stacked etcd on this node); no client URLs
   *     when the manifest names none
   * @throws IOException when the manifest exists but cannot be read
   */
  public static Optional<EtcdManifestUrls> read(Path manifest) throws IOException {
    if (!Files.isRegularFile(manifest)) {
      return Optional.empty();
    }
    String text = Files.readString(manifest, StandardCharsets.UTF_8);
    Matcher client = CLIENT.matcher(text);
    Matcher peer = PEER.matcher(text);
    return Optional.of(
        new EtcdManifestUrls(
            client.find() ? List.of(client.group(1).split(",")) : List.of(),
            peer.find() ? Optional.of(peer.group(1).split(",")[0]) : Optional.empty()));
  }
}
