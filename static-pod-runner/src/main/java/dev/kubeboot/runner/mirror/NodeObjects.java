package dev.kubeboot.runner.mirror;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddressBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Node object of this node: the kubelet's well-known labels, then the labels and taints the
 * runner was given (a control-plane node's marks are the caller's to choose), and Ready.
 */
final class NodeObjects {
  static final String READY = "Ready";

  private NodeObjects() {}

  /** A Node to register: the kubelet's well-known labels plus the given labels and taints. */
  static Node newNode(MirrorSettings settings) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("kubernetes.io/hostname", settings.nodeName());
    labels.put("kubernetes.io/os", os());
    labels.put("kubernetes.io/arch", arch());
    labels.put("beta.kubernetes.io/os", os());
    labels.put("beta.kubernetes.io/arch", arch());
    labels.putAll(settings.nodeLabels());
    return new NodeBuilder()
        .withNewMetadata()
        .withName(settings.nodeName())
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withTaints(
            settings.nodeTaints().stream()
                .map(
                    t ->
                        new TaintBuilder()
                            .withKey(t.key())
                            .withValue(t.value().isEmpty() ? null : t.value())
                            .withEffect(t.effect())
                            .build())
                .toList())
        .endSpec()
        .build();
  }

  /**
   * {@code node}'s status with a fresh Ready=True heartbeat; the transition time is kept when it
   * was Ready already.
   */
  static NodeStatus heartbeat(Node node, MirrorSettings settings, Instant now) {
    NodeStatus current = node.getStatus() == null ? new NodeStatus() : node.getStatus();
    String nowText = Times.format(now);
    String since = nowText;
    List<NodeCondition> conditions = new ArrayList<>();
    if (current.getConditions() != null) {
      for (NodeCondition c : current.getConditions()) {
        if (READY.equals(c.getType())) {
          if ("True".equals(c.getStatus()) && c.getLastTransitionTime() != null) {
            since = c.getLastTransitionTime();
          }
        } else {
          conditions.add(c);
        }
      }
    }
    conditions.add(
        new NodeConditionBuilder()
            .withType(READY)
            .withStatus("True")
            .withReason("KubeletReady")
            .withMessage("kubeboot runner is posting ready status")
            .withLastHeartbeatTime(nowText)
            .withLastTransitionTime(since)
            .build());
    return new NodeStatusBuilder(current)
        .withConditions(conditions)
        .withAddresses(
            new NodeAddressBuilder().withType("InternalIP").withAddress(settings.nodeIP()).build(),
            new NodeAddressBuilder().withType("Hostname").withAddress(settings.nodeName()).build())
        .editOrNewNodeInfo()
        .withOperatingSystem(os())
        .withArchitecture(arch())
        .endNodeInfo()
        .build();
  }

  static String os() {
    return System.getProperty("os.name", "linux").toLowerCase(Locale.ROOT);
  }

  /** GOARCH spelling of the JVM's architecture. */
  static String arch() {
    String arch = System.getProperty("os.arch", "amd64").toLowerCase(Locale.ROOT);
    return switch (arch) {
      case "x86_64", "amd64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      case "ppc64le" -> "ppc64le";
      case "s390x" -> "s390x";
      default -> arch;
    };
  }
}
