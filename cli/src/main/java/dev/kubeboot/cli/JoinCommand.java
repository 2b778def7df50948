package dev.kubeboot.cli;

import dev.kubeboot.cli.init.RunnerControls;
import dev.kubeboot.cli.join.JoinOptions;
import dev.kubeboot.cli.join.JoinPhases;
import dev.kubeboot.cli.join.JoinSession;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

  /** "join phase ...": one sub-command per phase of the workflow tree, with join's flags. */
  private static CommandLine phaseCommand(CliContext context) {
    return new PhaseCommands<>(
            JoinOptions::new,
            (JoinOptions options, String path) ->
                session(context).run(options, List.of(path), List.of()))
        .phaseCommand("join", JoinPhases.workflow().phases());
  }
}
