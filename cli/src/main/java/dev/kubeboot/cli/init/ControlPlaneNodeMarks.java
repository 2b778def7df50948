package dev.kubeboot.cli.init;

import dev.kubeboot.cli.config.KubeadmConfig;
import dev.kubeboot.runner.mirror.NodeTaint;
import java.util.List;
import java.util.Map;

/**
 * What kubeadm puts on a control-plane Node: its role label, the exclusion from external load
 * balancers, and the taints of {@code nodeRegistration.taints} (unset: the control-plane NoSchedule
 * taint; an empty list: none). The runner registers the Node with them; it does not know these
 * names itself.
 */
final class ControlPlaneNodeMarks {
  static final String CONTROL_PLANE_ROLE = "node-role.kubernetes.io/control-plane";
  static final String EXCLUDE_FROM_LOAD_BALANCERS =
      "node.kubernetes.io/exclude-from-external-load-balancers";

  private ControlPlaneNodeMarks() {}

  static Map<String, String> labels() {
    return Map.of(CONTROL_PLANE_ROLE, "", EXCLUDE_FROM_LOAD_BALANCERS, "");
  }

  static List<NodeTaint> taints(KubeadmConfig config) {
    return config
        .init()
        .nodeRegistration()
        .taints()
        .map(
            taints ->
                taints.stream()
                    .map(t -> new NodeTaint(t.key(), t.value().orElse(""), t.effect()))
                    .toList())
        .orElse(List.of(new NodeTaint(CONTROL_PLANE_ROLE, "", "NoSchedule")));
  }
}
