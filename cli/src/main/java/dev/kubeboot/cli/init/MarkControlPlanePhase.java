package dev.kubeboot.cli.init;

import dev.kubeboot.cli.KubebootException;
import dev.kubeboot.cli.cluster.ApiRequestException;
import dev.kubeboot.cli.cluster.NodeMarking;
import dev.kubeboot.cli.config.Taint;
import dev.kubeboot.cli.workflow.Phase;
import dev.kubeboot.cli.workflow.Step;
import java.util.List;

/**
 * Phase "mark-control-plane": the control-plane labels and {@code nodeRegistration.taints} on this
 * node's Node object, which the runner registers. kubeadm's names live here, not in the runner.
 */
final class MarkControlPlanePhase {
  private MarkControlPlanePhase() {}

  static Phase<InitContext> phase() {
    return Step.<InitContext>of(
            "mark-control-plane", "Mark a node as a control-plane", MarkControlPlanePhase::mark)
        .requiring(ApiPhases.kubeconfig());
  }

  private static void mark(InitContext ctx) throws Exception {
    String node = ctx.config().init().nodeRegistration().name();
    List<Taint> taints = NodeMarking.taints(ctx.config().init().nodeRegistration().taints());
    ctx.printer()
        .phase(
            "mark-control-plane",
            "Marking the node %s as control-plane by adding the labels: [%s]",
            node,
            String.join(" ", NodeMarking.LABELS));
    if (!taints.isEmpty()) {
      ctx.printer()
          .phase(
              "mark-control-plane",
              "Marking the node %s as control-plane by adding the taints %s",
              node,
              NodeMarking.describe(taints));
    }
    try {
      ctx.api().patchNode(node, current -> NodeMarking.patch(current, taints));
    } catch (ApiRequestException e) {
      if (e.code() != 404) {
        throw e;
      }
      throw new KubebootException(
          "Node "
              + node
              + " was not registered in time: the static-pod runner registers it through"
              + " kubelet.conf once the API server answers; check it with \"kubeboot status\" ("
              + e.getMessage()
              + ")",
          e);
    }
  }
}
