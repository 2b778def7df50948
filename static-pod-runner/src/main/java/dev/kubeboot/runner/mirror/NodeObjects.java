package dev.kubeboot.runner.mirror;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddressBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Node object of this node: the kubelet's well-known labels, then the labels and taints the
 * runner was given (a control-plane node's marks are the caller's to choose); its status as a
 * kubelet posts it; and its Lease.
 */
final class NodeObjects {
  static final String READY = "Ready";
  static final String LEASE_NAMESPACE = "kube-node-lease";

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

  /** The conditions the runner posts, in the kubelet's order, with their "all is well" words. */
  private record Healthy(String type, String status, String reason, String message) {}

  private static final List<Healthy> CONDITIONS =
      List.of(
          new Healthy(
              "MemoryPressure",
              "False",
              "KubeletHasSufficientMemory",
              "kubelet has sufficient memory available"),
          new Healthy(
              "DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
          new Healthy(
              "PIDPressure",
              "False",
              "KubeletHasSufficientPID",
              "kubelet has sufficient PID available"),
          new Healthy(READY, "True", "KubeletReady", "kubeboot runner is posting ready status"));

  /**
   * {@code node}'s status with fresh heartbeats of Ready and the pressure conditions (the runner
   * evicts nothing, so it claims no pressure, as a kubelet without eviction thresholds), nodeInfo,
   * addresses, capacity and allocatable; a condition's transition time is kept while its status is
   * unchanged.
   */
  static NodeStatus heartbeat(Node node, MirrorSettings settings, Instant now) {
    NodeStatus current = node.getStatus() == null ? new NodeStatus() : node.getStatus();
    String nowText = Times.format(now);
    List<NodeCondition> conditions = new ArrayList<>();
    if (current.getConditions() != null) {
      for (NodeCondition c : current.getConditions()) {
        if (CONDITIONS.stream().noneMatch(h -> h.type().equals(c.getType()))) {
          conditions.add(c);
        }
      }
    }
    for (Healthy h : CONDITIONS) {
      String since = nowText;
      if (current.getConditions() != null) {
        for (NodeCondition c : current.getConditions()) {
          if (h.type().equals(c.getType())
              && h.status().equals(c.getStatus())
              && c.getLastTransitionTime() != null) {
            since = c.getLastTransitionTime();
          }
        }
      }
      conditions.add(
          new NodeConditionBuilder()
              .withType(h.type())
              .withStatus(h.status())
              .withReason(h.reason())
              .withMessage(h.message())
              .withLastHeartbeatTime(nowText)
              .withLastTransitionTime(since)
              .build());
    }
    NodeSystem system = settings.system();
    Map<String, Quantity> capacity = new LinkedHashMap<>();
    capacity.put("cpu", new Quantity(Integer.toString(system.cpus())));
    capacity.put("memory", new Quantity(system.memoryBytes() / 1024 + "Ki"));
    capacity.put("pods", new Quantity(Integer.toString(NodeSystem.MAX_PODS)));
    return new NodeStatusBuilder(current)
        .withConditions(conditions)
        .withAddresses(
            new NodeAddressBuilder().withType("InternalIP").withAddress(settings.nodeIP()).build(),
            new NodeAddressBuilder().withType("Hostname").withAddress(settings.nodeName()).build())
        .withCapacity(capacity)
        .withAllocatable(new LinkedHashMap<>(capacity))
        .editOrNewNodeInfo()
        .withOperatingSystem(os())
        .withArchitecture(arch())
        .withKubeletVersion(system.kubeletVersion())
        .withKubeProxyVersion("")
        .withOsImage(system.osImage())
        .withKernelVersion(system.kernelVersion())
        .withContainerRuntimeVersion(system.containerRuntimeVersion())
        .endNodeInfo()
        .build();
  }

  /** The node's Lease in kube-node-lease, owned by the Node, renewed at {@code now}. */
  static Lease lease(Node node, MirrorSettings settings, Instant now) {
    return new LeaseBuilder()
        .withNewMetadata()
        .withName(settings.nodeName())
        .withNamespace(LEASE_NAMESPACE)
        .addNewOwnerReference()
        .withApiVersion("v1")
        .withKind("Node")
        .withName(node.getMetadata().getName())
        .withUid(node.getMetadata().getUid())
        .endOwnerReference()
        .endMetadata()
        .withNewSpec()
        .withHolderIdentity(settings.nodeName())
        .withLeaseDurationSeconds((int) settings.leaseDuration().toSeconds())
        .withRenewTime(ZonedDateTime.ofInstant(now, ZoneOffset.UTC))
        .endSpec()
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
