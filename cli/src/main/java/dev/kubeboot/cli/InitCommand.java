package dev.kubeboot.cli;

import dev.kubeboot.cli.init.AdminKubeconfigHint;
import dev.kubeboot.cli.init.InitOptions;
import dev.kubeboot.cli.init.InitPhases;
import dev.kubeboot.cli.init.InitSession;
import dev.kubeboot.cli.init.RunnerControls;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "init",
    mixinStandardHelpOptions = true,
    description = "Run this command in order to set up the Kubernetes control plane.",
    footer = {
      "",
      "The \"init\" command executes the following phases:",
      "  preflight, certs, kubeconfig, etcd, control-plane, runner-start, wait-control-plane,",
      "  upload-config, upload-certs, mark-control-plane, bootstrap-token, addon,",
      "  show-join-command",
      "Run one with: kubeboot init phase <phase> [sub-phase]"
    })
final class InitCommand implements Callable<Integer> {
  private final CliContext context;

  @Mixin InitOptions options;

  @Option(
      names = "--skip-phases",
      split = ",",
      paramLabel = "PHASE",
      description = "Phases to skip, e.g. runner-start,wait-control-plane or certs/etcd-ca.")
  List<String> skipPhases = new ArrayList<>();

  InitCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws Exception {
    List<String> ran = session(context).run(options, List.of(), skipPhases);
    // show-join-command prints kubeadm's closing message; without it, kubeboot's short one.
    if (!options.dryRun() && !ran.contains("show-join-command")) {
      printSummary(!ran.contains("wait-control-plane"));
    }
    if (options.foreground()) {
      context
          .out()
          .println(
              "[runner] Running in the foreground; stop with Ctrl-C (the pods keep running, as after a kubelet restart)");
      context.out().flush();
      Thread.currentThread().join();
    }
    return ExitCodes.OK;
  }

  /** kubeadm's closing words, with kubeboot's paths. */
  private void printSummary(boolean waitSkipped) {
    var out = context.out();
    String adminConf = options.kubernetesDirOrDefault().resolve("admin.conf").toString();
    out.println();
    out.println(
        waitSkipped
            ? "The control-plane files are written; the control plane was not waited for (wait-control-plane skipped)."
            : "Your Kubernetes control-plane has initialized successfully!");
    out.println();
    AdminKubeconfigHint.print(out, adminConf);
    out.println(
        "Check the control plane at any time with: kubeboot status"
            + (options
                    .kubernetesDirOrDefault()
                    .equals(dev.kubeboot.cli.init.KubeLayout.DEFAULT_KUBERNETES_DIR)
                ? ""
                : " --kubernetes-dir " + options.kubernetesDirOrDefault()));
    out.flush();
  }

  static InitSession session(CliContext context) {
    return new InitSession(
        context.out(), context.err(), Clock.systemUTC(), System.getenv(), RunnerControls::create);
  }

  /** "init phase ...": one sub-command per phase of the workflow tree, with init's flags. */
  static CommandLine phaseCommand(CliContext context) {
    return new PhaseCommands<>(
            InitOptions::new,
            (InitOptions options, String path) ->
                session(context).run(options, List.of(path), List.of()))
        .phaseCommand("init", InitPhases.workflow().phases());
  }
}
