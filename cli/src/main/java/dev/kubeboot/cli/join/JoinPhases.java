package dev.kubeboot.cli.join;

import dev.kubeboot.cli.config.Etcd;
import dev.kubeboot.cli.config.ExternalEtcd;
import dev.kubeboot.cli.init.InitContext;
import dev.kubeboot.cli.init.InitPhases;
import dev.kubeboot.cli.workflow.ContextView;
import dev.kubeboot.cli.workflow.Group;
import dev.kubeboot.cli.workflow.Phase;
import dev.kubeboot.cli.workflow.Step;
import dev.kubeboot.cli.workflow.Workflow;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * kubeadm join's control-plane phases in kubeadm's order, made of init's steps where they are the
 * same: runner-start stands for kubelet-start (kubeboot runs no kubelet), so there is no
 * kubelet-wait-bootstrap, and the etcd member joins in control-plane-join/etcd once the runner
 * runs.
 */
public final class JoinPhases {
  /**
   * Made by the first node and downloaded, never made here: a second CA would split the cluster.
   */
  static final Set<String> SHARED = Set.of("ca", "front-proxy-ca", "etcd-ca", "sa");

  /** kubeadm join writes no super-admin.conf: that identity stays with the first node. */
  static final Set<String> FIRST_NODE_ONLY = Set.of("super-admin");

  private JoinPhases() {}

  public static Workflow<JoinContext> workflow() {
    return new Workflow<>(
        List.of(
            Step.<JoinContext>of(
                "preflight",
                "Run join pre-flight checks",
                ctx -> InitPhases.joinPreflight(ctx.node(), ctx.certificateKey().isPresent())),
            new Group<>(
                "control-plane-prepare",
                "Prepare the machine for serving a control plane",
                List.of(
                    Step.of(
                        "download-certs",
                        "Download certificates shared among control-plane nodes from the"
                            + " kubeadm-certs Secret",
                        JoinPhases::downloadCerts),
                    init(without(InitPhases.certs(), SHARED)),
                    init(without(InitPhases.kubeconfig(), FIRST_NODE_ONLY)),
                    init(InitPhases.controlPlane()))),
            init(InitPhases.runnerStart()),
            new Group<>(
                "control-plane-join",
                "Join a machine as a control plane instance",
                List.of(
                    Step.<JoinContext>of(
                        "etcd", "Add a new local etcd member", ctx -> ctx.etcd().join(ctx)),
                    init(InitPhases.markControlPlane()))),
            init(InitPhases.waitControlPlane())));
  }

  /** Init's phase on this node's view, its prerequisites named by their join paths. */
  private static Phase<JoinContext> init(Phase<InitContext> phase) {
    return ContextView.of(phase, JoinContext::node, JoinPhases::joinPath);
  }

  /** Where join provides what an init step needs. */
  static String joinPath(String initPath) {
    for (String shared : SHARED) {
      if (initPath.equals("certs/" + shared)) {
        return "control-plane-prepare/download-certs";
      }
    }
    if (initPath.startsWith("certs/")
        || initPath.startsWith("kubeconfig/")
        || initPath.startsWith("control-plane/")) {
      return "control-plane-prepare/" + initPath;
    }
    return initPath;
  }

  private static Group<InitContext> without(Group<InitContext> group, Set<String> names) {
    return new Group<>(
        group.name(),
        group.summary(),
        group.children().stream().filter(c -> !names.contains(c.name())).toList());
  }

  private static void downloadCerts(JoinContext ctx) throws Exception {
    var printer = ctx.node().printer();
    if (ctx.certificateKey().isEmpty()) {
      printer.phase(
          "download-certs",
          "Skipping certs download: no --certificate-key given; the shared certificates must be"
              + " in %s already",
          ctx.node().layout().certDir());
      return;
    }
    printer.phase(
        "download-certs",
        "Downloading the certificates in Secret \"kubeadm-certs\" in the \"kube-system\" Namespace");
    Etcd etcd = ctx.node().config().cluster().etcd();
    new CertsDownload(ctx.node().config().init().timeouts().kubernetesAPICall())
        .download(
            ctx.cluster(),
            ctx.token(),
            ctx.certificateKey().get(),
            ctx.node().layout().certDir(),
            etcd,
            ctx.node().sink());
    printer.phase(
        "download-certs",
        "Saving the certificates to the folder: \"%s\"",
        ctx.node().layout().certDir());
    if (etcd instanceof ExternalEtcd external) {
      printer.phase(
          "download-certs",
          "Saving the external etcd client files to the paths of etcd.external: %s",
          Stream.of(external.caFile(), external.certFile(), external.keyFile())
              .flatMap(Optional::stream)
              .toList());
    }
  }
}
