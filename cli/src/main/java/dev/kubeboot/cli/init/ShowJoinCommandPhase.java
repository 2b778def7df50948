package dev.kubeboot.cli.init;

import dev.kubeboot.cli.cluster.JoinCommands;
import dev.kubeboot.cli.token.BootstrapTokenSpec;
import dev.kubeboot.cli.workflow.Phase;
import dev.kubeboot.cli.workflow.Step;
import java.io.PrintWriter;
import java.util.Optional;

/**
 * Phase "show-join-command", the last of init: kubeadm's closing message with the commands that
 * join control-plane and worker nodes, once per bootstrap token.
 */
final class ShowJoinCommandPhase {
  private ShowJoinCommandPhase() {}

  static Phase<InitContext> phase() {
    return Step.<InitContext>of(
            "show-join-command",
            "Show the join command for control-plane and worker node",
            ShowJoinCommandPhase::show)
        .requiring(ApiPhases.kubeconfig());
  }

  private static void show(InitContext ctx) throws Exception {
    ClusterSetup setup = ctx.cluster();
    JoinCommands commands = JoinCommands.of(ApiPhases.kubeconfigCluster(ctx));
    Optional<String> key =
        setup
            .certificateKey()
            .map(k -> ClusterSetup.shown(k.hex(), setup.skipCertificateKeyPrint()));
    for (BootstrapTokenSpec token : setup.tokens()) {
      String value = ClusterSetup.shown(token.token().value(), setup.skipTokenPrint());
      message(
          ctx,
          commands.controlPlane(value, key),
          commands.worker(value),
          ctx.config().cluster().controlPlaneEndpoint().isPresent(),
          setup.uploadCerts());
    }
  }

  private static void message(
      InitContext ctx,
      String controlPlaneCommand,
      String workerCommand,
      boolean controlPlaneEndpoint,
      boolean uploadedCerts) {
    PrintWriter out = ctx.printer().writer();
    String adminConf = ctx.layout().kubeconfig("admin.conf").toString();
    out.println();
    out.println("Your Kubernetes control-plane has initialized successfully!");
    out.println();
    AdminKubeconfigHint.print(out, adminConf);
    out.println("You should now deploy a pod network to the cluster.");
    out.println("Run \"kubectl apply -f [podnetwork].yaml\" with one of the options listed at:");
    out.println("  https://kubernetes.io/docs/concepts/cluster-administration/addons/");
    out.println();
    if (controlPlaneEndpoint) {
      if (uploadedCerts) {
        out.println(
            "You can now join any number of control-plane nodes running the following command on"
                + " each as root:");
        out.println();
        out.println("  " + controlPlaneCommand);
        out.println();
        out.println(
            "Please note that the certificate-key gives access to cluster sensitive data, keep it"
                + " secret!");
        out.println(
            "As a safeguard, uploaded-certs will be deleted in two hours; If necessary, you can"
                + " use");
        out.println(
            "\"kubeboot init phase upload-certs --upload-certs\" to reload certs afterward.");
      } else {
        out.println(
            "You can now join any number of control-plane nodes by copying certificate"
                + " authorities");
        out.println(
            "and service account keys on each node and then running the following as root:");
        out.println();
        out.println("  " + controlPlaneCommand);
      }
      out.println();
    }
    out.println(
        "Then you can join any number of worker nodes by running the following on each as root:");
    out.println();
    out.println(workerCommand);
    out.println();
    out.println(
        "Check the control plane at any time with: kubeboot status"
            + (ctx.layout().kubernetesDir().equals(KubeLayout.DEFAULT_KUBERNETES_DIR)
                ? ""
                : " --kubernetes-dir " + ctx.layout().kubernetesDir()));
    out.flush();
  }
}
