package dev.kubeboot.runner.manifest;

import dev.kubeboot.runner.pod.PodKey;
import dev.kubeboot.runner.pod.PodSpec;
import dev.kubeboot.runner.pod.ShownText;
import dev.kubeboot.runner.pod.StaticPod;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Decodes one manifest file into a defaulted, validated {@link StaticPod}, as a kubelet's file
 * source does, with kubeboot's stricter rules (DESIGN.md section 6): exactly one document, a v1
 * Pod, no references to API objects, wrong types in fields the runner acts on are errors (unknown
 * fields are carried, not refused).
 *
 * <p>{@code env[].valueFrom.fieldRef} is resolved for {@code metadata.name}, {@code
 * metadata.namespace}, {@code metadata.uid}, {@code spec.nodeName}, {@code
 * metadata.labels/annotations['KEY']}, {@code status.hostIP(s)} (the node's IPs) and, for a
 * hostNetwork pod, {@code status.podIP(s)} (the node's IPs too, as the kubelet gives them). The IPs
 * of a pod with a network of its own are not known when the file is read: {@code status.podIP(s)}
 * stays deferred ({@link dev.kubeboot.runner.pod.EnvValue.PodIPs}) and the runtime fills it in from
 * the pod's sandbox when it makes each container.
 *
 * <p>Stateless and thread-safe.
 */
public final class ManifestDecoder {
  private static final DateTimeFormatter SEEN_FORMAT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

  private final Clock clock;
  private final List<String> nodeIps;
  private final ManifestParser parser = new ManifestParser();

  /**
   * A decoder for reading pods without running them: {@code status.hostIP} and the {@code
   * status.podIP} of hostNetwork pods are empty.
   *
   * @param clock gives {@code kubernetes.io/config.seen}
   */
  public ManifestDecoder(Clock clock) {
    this(clock, List.of());
  }

  /**
   * @param clock gives {@code kubernetes.io/config.seen}
   * @param nodeIps the node's IPs, primary first, for {@code status.hostIP(s)} and the {@code
   *     status.podIP(s)} of hostNetwork pods
   */
  public ManifestDecoder(Clock clock, List<String> nodeIps) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.nodeIps = List.copyOf(nodeIps);
  }

  /** Decodes {@code content}, read from {@code file}, for node {@code nodeName}; seen = now. */
  public StaticPod decode(byte[] content, Path file, String nodeName) throws ManifestException {
    return decode(content, file, nodeName, uid -> clock.instant());
  }

  /**
   * As {@link #decode(byte[], Path, String)}, with the seen-time chosen per UID, so a source can
   * keep the time a UID was first seen and an unchanged pod stays equal across re-reads.
   */
  StaticPod decode(byte[] content, Path file, String nodeName, Function<String, Instant> seenTime)
      throws ManifestException {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(nodeName, "nodeName");
    if (nodeName.isEmpty()) {
      throw new IllegalArgumentException("nodeName must not be empty");
    }
    try {
      Map<String, Object> tree = parser.parse(content);
      PodReader.checkTypeMeta(tree);
      PodDefaults.apply(tree, nodeName);
      @SuppressWarnings("unchecked")
      Map<String, Object> metadata = (Map<String, Object>) tree.get("metadata");
      String uid = Fields.string(metadata, "metadata", "uid");
      if (uid.isEmpty()) {
        uid = ConfigHash.of(tree, nodeName, file);
        metadata.put("uid", uid);
      } else {
        String why = Names.podUid(uid);
        if (!why.isEmpty()) {
          String shown = uid.length() > 80 ? uid.substring(0, 80) + "..." : uid;
          throw new FieldException("metadata.uid", "\"" + ShownText.of(shown) + "\" " + why);
        }
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> annotations = (Map<String, Object>) metadata.get("annotations");
      annotations.put(PodDefaults.CONFIG_HASH, uid);
      annotations.put(PodDefaults.CONFIG_SEEN, SEEN_FORMAT.format(seenTime.apply(uid)));

      PodReader reader = new PodReader(tree, nodeIps);
      Map<String, String> labels = reader.labels();
      Map<String, String> annotationValues = reader.annotations();
      PodSpec spec = reader.spec();
      PodKey key =
          new PodKey(
              Fields.string(metadata, "metadata", "namespace"),
              Fields.string(metadata, "metadata", "name"));
      return new StaticPod(key, uid, file, labels, annotationValues, spec, Trees.freeze(tree));
    } catch (FieldException e) {
      throw new ManifestException(file, e.field(), e.reason(), e);
    } catch (RuntimeException | StackOverflowError e) {
      // The parser and reader throw FieldException for every bad input they know; anything else is
      // a
      // bug, but it must still name the file rather than escape into the watch loop.
      throw new ManifestException(file, "", "cannot be decoded: " + e, e);
    }
  }

  /** {@code kubernetes.io/config.seen}'s format: RFC 3339, UTC, exactly nine fractional digits. */
  static String formatSeen(Instant instant) {
    return SEEN_FORMAT.format(instant);
  }
}
