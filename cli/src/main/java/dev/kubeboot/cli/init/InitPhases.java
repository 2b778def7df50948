package dev.kubeboot.cli.init;

import dev.kubeboot.cli.workflow.Group;
import dev.kubeboot.cli.workflow.Phase;
import dev.kubeboot.cli.workflow.Step;
import dev.kubeboot.cli.workflow.Workflow;
import java.util.List;
import java.util.Set;

/**
 * kubeadm init's phases in kubeadm's order, with runner-start in place of kubelet-start and without
 * kubelet-finalize (kubeboot runs no kubelet whose client certificate it would rotate).
 */
public final class InitPhases {
  /** The phases that work through the API server, after wait-control-plane. */
  static final Set<String> API_PHASES =
      java.util.Collections.unmodifiableSet(
          new java.util.LinkedHashSet<>(
              List.of(
                  "upload-config",
                  "upload-certs",
                  "mark-control-plane",
                  "bootstrap-token",
                  "addon",
                  "show-join-command")));

  private InitPhases() {}

  public static Workflow<InitContext> workflow() {
    return new Workflow<>(
        List.of(
            PreflightPhase.phase(),
            CertsPhase.phase(),
            KubeconfigPhase.phase(),
            ManifestsPhase.etcd(),
            ManifestsPhase.controlPlane(),
            runnerStart(),
            waitControlPlane(),
            UploadConfigPhase.phase(),
            UploadCertsPhase.phase(),
            MarkControlPlanePhase.phase(),
            BootstrapTokenPhase.phase(),
            AddonPhase.phase(),
            ShowJoinCommandPhase.phase()));
  }

  /** Phase "preflight": the checks that hold for every control-plane node. */
  public static Phase<InitContext> preflight() {
    return PreflightPhase.phase();
  }

  /**
   * Runs the preflight checks of a node joining as a control plane.
   *
   * @param certificatesDownloaded download-certs brings the shared files (with an external etcd,
   *     its client files too), so those are not looked for yet
   */
  public static void joinPreflight(InitContext ctx, boolean certificatesDownloaded)
      throws Exception {
    PreflightPhase.run(ctx, certificatesDownloaded);
  }

  /** Phase "certs", one step per certificate of kubeadm's table and the sa key pair. */
  public static Group<InitContext> certs() {
    return (Group<InitContext>) CertsPhase.phase();
  }

  /** Phase "kubeconfig", one step per kubeconfig file. */
  public static Group<InitContext> kubeconfig() {
    return (Group<InitContext>) KubeconfigPhase.phase();
  }

  /** Phase "control-plane": the API server, controller-manager and scheduler manifests. */
  public static Phase<InitContext> controlPlane() {
    return ManifestsPhase.controlPlane();
  }

  public static Step<InitContext> runnerStart() {
    return Step.of(
        "runner-start",
        "Start the embedded static-pod runner for the manifest directory (kubeadm: kubelet-start)",
        ctx -> ctx.runner().start(ctx));
  }

  public static Step<InitContext> waitControlPlane() {
    return Step.of(
        "wait-control-plane",
        "Wait for the control plane to start",
        ctx -> ctx.runner().waitForControlPlane(ctx));
  }

  /** Phase "mark-control-plane": the control-plane label and taints on this node's Node. */
  public static Phase<InitContext> markControlPlane() {
    return MarkControlPlanePhase.phase();
  }

  /**
   * Writes the etcd manifest of a member joining an existing etcd cluster.
   *
   * @param initialCluster every member as {@code name=peerURL}, this node included
   */
  public static void writeJoiningEtcdManifest(InitContext ctx, String initialCluster)
      throws Exception {
    ManifestsPhase.joiningEtcd(ctx, initialCluster);
  }

  /** Removes this node's etcd manifest again (a join that failed after writing it). */
  public static void removeEtcdManifest(InitContext ctx) throws java.io.IOException {
    ManifestsPhase.removeEtcd(ctx);
  }

  /** How many new private keys a plan will need, so they can be generated in parallel up front. */
  static int keysNeeded(
      List<dev.kubeboot.cli.workflow.PlannedStep<InitContext>> plan, InitContext ctx) {
    int count = 0;
    for (var step : plan) {
      String path = step.path();
      String name = step.step().name();
      if (path.startsWith("certs/")) {
        count += CertsPhase.keysNeeded(ctx, name);
      } else if (path.startsWith("kubeconfig/")) {
        count += KubeconfigPhase.keysNeeded(ctx, name);
      }
    }
    return count;
  }
}
