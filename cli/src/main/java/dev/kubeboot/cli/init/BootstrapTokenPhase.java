package dev.kubeboot.cli.init;

import dev.kubeboot.cli.cluster.BootstrapTokenObjects;
import dev.kubeboot.cli.cluster.ClusterApi;
import dev.kubeboot.cli.cluster.ClusterInfoObjects;
import dev.kubeboot.cli.cluster.KubeconfigCluster;
import dev.kubeboot.cli.output.Printer;
import dev.kubeboot.cli.token.BootstrapTokenSecrets;
import dev.kubeboot.cli.token.BootstrapTokenSpec;
import dev.kubeboot.cli.workflow.Phase;
import dev.kubeboot.cli.workflow.Step;
import java.util.List;

/**
 * Phase "bootstrap-token": the bootstrap token Secrets, the RBAC rules that let joining nodes use
 * them, and {@code kube-public/cluster-info} that joining nodes discover the cluster from.
 */
final class BootstrapTokenPhase {
  private static final String TAG = "bootstrap-token";

  private BootstrapTokenPhase() {}

  static Phase<InitContext> phase() {
    return Step.<InitContext>of(
            "bootstrap-token",
            "Generates bootstrap tokens used to join a node to a cluster",
            BootstrapTokenPhase::run)
        .requiring(ApiPhases.kubeconfig());
  }

  private static void run(InitContext ctx) throws Exception {
    ClusterSetup setup = ctx.cluster();
    Printer printer = ctx.printer();
    if (!setup.skipTokenPrint()) {
      List<String> values = setup.tokens().stream().map(t -> t.token().value()).toList();
      if (values.size() == 1) {
        printer.phase(TAG, "Using token: %s", values.getFirst());
      } else if (values.size() > 1) {
        printer.phase(TAG, "Using tokens: [%s]", String.join(" ", values));
      }
    }
    printer.phase(TAG, "Configuring bootstrap tokens, cluster-info ConfigMap, RBAC Roles");
    ClusterApi api = ctx.api();
    for (BootstrapTokenSpec token : setup.tokens()) {
      api.createOrUpdate(BootstrapTokenSecrets.toSecret(token, setup.clock().instant()));
    }
    api.createOrUpdate(BootstrapTokenObjects.getNodesRole());
    api.createOrUpdate(BootstrapTokenObjects.getNodesBinding());
    printer.phase(TAG, "Configured RBAC rules to allow Node Bootstrap tokens to get nodes");
    api.createOrUpdate(BootstrapTokenObjects.kubeletBootstrap());
    printer.phase(
        TAG,
        "Configured RBAC rules to allow Node Bootstrap tokens to post CSRs in order for nodes to"
            + " get long term certificate credentials");
    api.createOrUpdate(BootstrapTokenObjects.autoApproveBootstrap());
    printer.phase(
        TAG,
        "Configured RBAC rules to allow the csrapprover controller automatically approve CSRs"
            + " from a Node Bootstrap Token");
    api.createOrUpdate(BootstrapTokenObjects.autoApproveRotation());
    printer.phase(
        TAG,
        "Configured RBAC rules to allow certificate rotation for all node client certificates in"
            + " the cluster");
    printer.phase(
        TAG,
        "Creating the \"%s\" ConfigMap in the \"%s\" namespace",
        ClusterInfoObjects.NAME,
        ClusterInfoObjects.NAMESPACE);
    KubeconfigCluster cluster = ApiPhases.kubeconfigCluster(ctx);
    api.apply(
        ClusterInfoObjects.configMap(
            ClusterInfoObjects.kubeconfig(cluster.server(), cluster.caPem())),
        ClusterInfoObjects::merge);
    api.createOrUpdate(ClusterInfoObjects.role());
    api.createOrUpdate(ClusterInfoObjects.roleBinding());
  }
}
