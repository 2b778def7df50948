package dev.kubeboot.cli.init;

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
            Step.<InitContext>of(
                "runner-start",
                "Start the embedded static-pod runner for the manifest directory (kubeadm: kubelet-start)",
                ctx -> ctx.runner().start(ctx)),
            Step.<InitContext>of(
                "wait-control-plane",
                "Wait for the control plane to start",
                ctx -> ctx.runner().waitForControlPlane(ctx)),
            UploadConfigPhase.phase(),
            UploadCertsPhase.phase(),
            MarkControlPlanePhase.phase(),
            BootstrapTokenPhase.phase(),
            AddonPhase.phase(),
            ShowJoinCommandPhase.phase()));
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
