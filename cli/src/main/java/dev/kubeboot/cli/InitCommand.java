package dev.kubeboot.cli;

import dev.kubeboot.cli.init.InitOptions;
import dev.kubeboot.cli.init.InitPhases;
import dev.kubeboot.cli.init.InitSession;
import dev.kubeboot.cli.init.RunnerControls;
import dev.kubeboot.cli.workflow.Phase;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
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
    out.println("To start using your cluster, you need to run the following as a regular user:");
    out.println();
    out.println("  mkdir -p $HOME/.kube");
    out.println("  sudo cp -i " + adminConf + " $HOME/.kube/config");
    out.println("  sudo chown $(id -u):$(id -g) $HOME/.kube/config");
    out.println();
    out.println("Alternatively, if you are the root user, you can run:");
    out.println();
    out.println("  export KUBECONFIG=" + adminConf);
    out.println();
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

  /**
   * "init phase ..." sub-commands, one per phase of the workflow tree; a group also answers to
   * "all".
   */
  static CommandLine phaseCommand(CliContext context) {
    var phase = CommandSpec.create().name("phase");
    phase
        .usageMessage()
        .description("Use this command to invoke single phase of the init workflow");
    phase.mixinStandardHelpOptions(true);
    var line = new CommandLine(phase);
    for (Phase<?> p : InitPhases.workflow().phases()) {
      line.addSubcommand(p.name(), phaseSubcommand(context, p, p.name()));
    }
    return line;
  }

  private static CommandLine phaseSubcommand(CliContext context, Phase<?> p, String path) {
    var runner = new PhaseRunner(context, path);
    var spec = CommandSpec.wrapWithoutInspection(runner);
    spec.name(p.name());
    spec.usageMessage().description(p.summary());
    spec.mixinStandardHelpOptions(true);
    spec.addMixin("options", CommandSpec.forAnnotatedObject(runner.options));
    var line = new CommandLine(spec);
    if (!p.children().isEmpty()) {
      var all = new PhaseRunner(context, path);
      var allSpec = CommandSpec.wrapWithoutInspection(all);
      allSpec.name("all");
      allSpec.usageMessage().description("Run all of the " + p.name() + " phases");
      allSpec.mixinStandardHelpOptions(true);
      allSpec.addMixin("options", CommandSpec.forAnnotatedObject(all.options));
      line.addSubcommand("all", new CommandLine(allSpec));
      for (Phase<?> child : p.children()) {
        line.addSubcommand(
            child.name(), phaseSubcommand(context, child, path + "/" + child.name()));
      }
    }
    return line;
  }

  /** Runs the phases under one path with the same flags as init. */
  static final class PhaseRunner implements Callable<Integer> {
    private final CliContext context;
    private final String path;
    final InitOptions options = new InitOptions();

    PhaseRunner(CliContext context, String path) {
      this.context = context;
      this.path = path;
    }

    @Override
    public Integer call() throws Exception {
      session(context).run(options, List.of(path), List.of());
      return ExitCodes.OK;
    }
  }
}
