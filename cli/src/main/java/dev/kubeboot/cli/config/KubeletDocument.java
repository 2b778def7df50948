package dev.kubeboot.cli.config;

import dev.kubeboot.runner.manifest.GoDuration;
import dev.kubeboot.runner.runtime.LogRotation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A {@code kubelet.config.k8s.io/v1beta1 KubeletConfiguration} document in {@code init --config}.
 * kubeboot's static-pod runner stands in for the kubelet on this node, and the document also goes,
 * as written over kubeadm's defaults, to the kubelet-config ConfigMap that the kubelets of joining
 * nodes read:
 *
 * <ul>
 *   <li>{@code staticPodPath}: must be the manifest directory init writes to (kubeadm writes there
 *       too, whatever the file says); {@code fileCheckFrequency}: the runner's relist period;
 *       {@code containerLogMaxSize}, {@code containerLogMaxFiles}: the runner's log rotation;
 *       {@code cgroupDriver}: the CRI runtime's pod cgroups.
 *   <li>{@code healthzPort} 10248 and {@code healthzBindAddress} 127.0.0.1: what the runner serves.
 *   <li>Any field left at its zero value ({@code ""}, {@code 0}, {@code 0s}, {@code {}}, {@code
 *       []}, null), as {@code kubeadm config print} writes them: that asks for nothing.
 *   <li>Every other field of the kubelet's API ({@code clusterDNS}, {@code authentication}, ...) is
 *       accepted and named in one warning: the runner does not apply it on this node, the joining
 *       kubelets do. {@code kubeadm config print init-defaults --component-configs
 *       KubeletConfiguration} prints several of them.
 *   <li>A field the kubelet's API does not have is refused, all of them at once with file, line and
 *       field (kubeadm only warns: a typo must not pass silently).
 * </ul>
 */
final class KubeletDocument {
  static final String API_VERSION = "kubelet.config.k8s.io/v1beta1";

  /** What the runner serves; the kubelet's defaults. */
  private static final Map<String, Set<String>> HONOURED =
      Map.of("healthzPort", Set.of("10248"), "healthzBindAddress", Set.of("127.0.0.1"));

  private final Problems problems;
  private final Map<String, String> origins;

  KubeletDocument(Problems problems, Map<String, String> origins) {
    this.problems = problems;
    this.origins = origins;
  }

  /** What init takes from the document. */
  /**
   * @param notAppliedHere the fields set that the runner does not apply (the joining kubelets do)
   */
  record Settings(
      Optional<String> staticPodPath,
      Optional<Duration> fileCheckFrequency,
      LogRotation containerLogs,
      Optional<String> cgroupDriver,
      List<String> notAppliedHere) {
    Settings {
      notAppliedHere = List.copyOf(notAppliedHere);
    }
  }

  Settings read(MappingNode document) {
    YamlMapping m =
        YamlMapping.of(problems, origins, "KubeletConfiguration", document).orElseThrow();
    List<String> notAppliedHere = new ArrayList<>();
    for (NodeTuple tuple : document.getValue()) {
      if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
        continue;
      }
      String name = key.getValue();
      Node value = tuple.getValueNode();
      if (Set.of(
                  "apiVersion",
                  "kind",
                  "staticPodPath",
                  "fileCheckFrequency",
                  "containerLogMaxSize",
                  "containerLogMaxFiles",
                  "cgroupDriver")
              .contains(name)
          || isZero(value)) {
        continue;
      }
      Set<String> honoured = HONOURED.get(name);
      if (honoured != null) {
        if (!(value instanceof ScalarNode s && honoured.contains(s.getValue()))) {
          problems.at(
              key,
              "KubeletConfiguration." + name,
              "kubeboot's static-pod runner serves /healthz on 127.0.0.1:10248 only; remove the"
                  + " field or set "
                  + name
                  + ": "
                  + honoured.iterator().next());
        }
        continue;
      }
      if (KubeletConfigurationFields.ALL.contains(name)) {
        notAppliedHere.add("KubeletConfiguration." + name);
        continue;
      }
      problems.at(key, "KubeletConfiguration." + name, unknown(name));
    }
    Optional<String> staticPodPath = m.text("staticPodPath");
    Optional<Duration> frequency =
        m.duration("fileCheckFrequency")
            .filter(
                d -> {
                  if (d.isNegative()) {
                    m.problem(
                        "fileCheckFrequency",
                        "must not be negative, got " + GoDuration.format(d) + "; e.g. 20s");
                  }
                  return d.isPositive();
                });
    long maxSize = LogRotation.DEFAULT_MAX_SIZE;
    Optional<String> size = m.text("containerLogMaxSize").filter(v -> !v.isEmpty());
    if (size.isPresent()) {
      try {
        maxSize = LogRotation.parseSize(size.get());
      } catch (IllegalArgumentException e) {
        m.problem("containerLogMaxSize", "\"" + size.get() + "\" is not a size; e.g. 10Mi");
      }
    }
    int maxFiles =
        m.integer("containerLogMaxFiles")
            .filter(n -> n != 0)
            .filter(
                n -> {
                  if (n < 2) {
                    m.problem("containerLogMaxFiles", "must be at least 2, got " + n + "; e.g. 5");
                  }
                  return n >= 2;
                })
            .orElse(LogRotation.DEFAULT_MAX_FILES);
    Optional<String> cgroupDriver = m.text("cgroupDriver").filter(v -> !v.isEmpty());
    if (cgroupDriver.isPresent() && !Set.of("cgroupfs", "systemd").contains(cgroupDriver.get())) {
      m.problem(
          "cgroupDriver",
          "\"" + cgroupDriver.get() + "\" is neither cgroupfs nor systemd; e.g. systemd");
      cgroupDriver = Optional.empty();
    }
    return new Settings(
        staticPodPath, frequency, new LogRotation(maxSize, maxFiles), cgroupDriver, notAppliedHere);
  }

  private static String unknown(String name) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : KubeletConfigurationFields.ALL) {
      int d =
          SchemaCheck.distance(name.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        bestDistance = d;
        best = candidate;
      }
    }
    return "unknown field \""
        + name
        + "\""
        + (best != null && bestDistance <= Math.max(2, name.length() / 4)
            ? " (did you mean \"" + best + "\"?)"
            : "")
        + "; "
        + API_VERSION
        + " KubeletConfiguration (kubelet 1.34) has no such field";
  }

  /** Go's zero value, as kubeadm prints unset component config fields. */
  static boolean isZero(Node node) {
    if (YamlNodes.isNull(node)) {
      return true;
    }
    return switch (node) {
      case ScalarNode s -> Set.of("", "0", "0s").contains(s.getValue());
      case SequenceNode seq -> seq.getValue().isEmpty();
      case MappingNode map -> map.getValue().stream().allMatch(t -> isZero(t.getValueNode()));
      default -> false;
    };
  }
}
