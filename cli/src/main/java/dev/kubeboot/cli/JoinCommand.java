package dev.kubeboot.cli;

import dev.kubeboot.cli.init.RunnerControls;
import dev.kubeboot.cli.join.JoinOptions;
import dev.kubeboot.cli.join.JoinPhases;
import dev.kubeboot.cli.join.JoinSession;
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
    name = "join",
    mixinStandardHelpOptions = true,
    description =
        "Run this on a machine you wish to join to an existing cluster as a control-plane node.",
    footer = {
      "",
      "The \"join\" command executes the following phases:",
      "  preflight, control-plane-prepare (download-certs, certs, kubeconfig, control-plane),",
      "  runner-start, control-plane-join (etcd, mark-control-plane), wait-control-plane",
      "Run one with: kubeboot join phase <phase> [sub-phase]"
    })
final class JoinCommand implements Callable<Integer> {
  private final CliContext context;

  @Mixin JoinOptions options;

  @Option(
      names = "--skip-phases",
      split = ",",
      paramLabel = "PHASE",
      description = "Phases to skip, e.g. control-plane-join/mark-control-plane.")
  List<String> skipPhases = new ArrayList<>();

  JoinCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws Exception {
    session(context).run(options, List.of(), skipPhases);
    return ExitCodes.OK;
  }

  static JoinSession session(CliContext context) {
    return new JoinSession(
        context.out(), context.err(), Clock.systemUTC(), System.getenv(), RunnerControls::create);
  }

  static CommandLine commandLine(CliContext context) {
    var join = new CommandLine(new JoinCommand(context), context.factory());
    join.addSubcommand("phase", phaseCommand(context));
    return join;
  }

  /** "join phase ..." sub-commands, one per phase; a group also answers to "all". */
  private static CommandLine phaseCommand(CliContext context) {
    var phase = CommandSpec.create().name("phase");
    phase
        .usageMessage()
        .description("Use this command to invoke single phase of the join workflow");
    phase.mixinStandardHelpOptions(true);
    var line = new CommandLine(phase);
    for (Phase<?> p : JoinPhases.workflow().phases()) {
      line.addSubcommand(p.name(), phaseSubcommand(context, p, p.name()));
    }
    return line;
  }

  private static CommandLine phaseSubcommand(CliContext context, Phase<?> p, String path) {
    var line = new CommandLine(spec(context, path, p.name(), p.summary()));
    if (!p.children().isEmpty()) {
      line.addSubcommand(
          "all",
          new CommandLine(spec(context, path, "all", "Run all of the " + p.name() + " phases")));
      for (Phase<?> child : p.children()) {
        line.addSubcommand(
            child.name(), phaseSubcommand(context, child, path + "/" + child.name()));
      }
    }
    return line;
  }

  private static CommandSpec spec(CliContext context, String path, String name, String summary) {
    var runner = new PhaseRunner(context, path);
    var spec = CommandSpec.wrapWithoutInspection(runner);
    spec.name(name);
    spec.usageMessage().description(summary);
    spec.mixinStandardHelpOptions(true);
    spec.addMixin("options", CommandSpec.forAnnotatedObject(runner.options));
    return spec;
  }

  /** Runs the phases under one path with the same flags as join. */
  static final class PhaseRunner implements Callable<Integer> {
    private final CliContext context;
    private final String path;
    final JoinOptions options = new JoinOptions();

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
