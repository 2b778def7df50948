package dev.kubeboot.cli;

import dev.kubeboot.cli.workflow.Phase;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The "{@code <command> phase ...}" tree of a workflow (init's, join's), as kubeadm has it: one
 * sub-command per phase, nested as the phases are, a group also answering to "all"; each runs the
 * phases under its path with the whole command's own flags.
 *
 * @param <O> the command's picocli options object, a fresh one per sub-command
 */
final class PhaseCommands<O> {
  /** Runs the phases under {@code path} (e.g. "certs/etcd-ca") with {@code options}. */
  @FunctionalInterface
  interface PathRun<O> {
    void run(O options, String path) throws Exception;
  }

  private final Supplier<O> options;
  private final PathRun<O> run;

  PhaseCommands(Supplier<O> options, PathRun<O> run) {
    this.options = options;
    this.run = run;
  }

  /** The "phase" command of {@code workflow} ("init", "join") over its top-level phases. */
  CommandLine phaseCommand(String workflow, List<? extends Phase<?>> phases) {
    var phase = CommandSpec.create().name("phase");
    phase
        .usageMessage()
        .description("Use this command to invoke single phase of the " + workflow + " workflow");
    phase.mixinStandardHelpOptions(true);
    var line = new CommandLine(phase);
    for (Phase<?> p : phases) {
      line.addSubcommand(p.name(), subcommand(p, p.name()));
    }
    return line;
  }

  private CommandLine subcommand(Phase<?> p, String path) {
    var line = new CommandLine(spec(path, p.name(), p.summary()));
    if (!p.children().isEmpty()) {
      line.addSubcommand(
          "all", new CommandLine(spec(path, "all", "Run all of the " + p.name() + " phases")));
      for (Phase<?> child : p.children()) {
        line.addSubcommand(child.name(), subcommand(child, path + "/" + child.name()));
      }
    }
    return line;
  }

  private CommandSpec spec(String path, String name, String summary) {
    O flags = options.get();
    Callable<Integer> runner =
        () -> {
          run.run(flags, path);
          return ExitCodes.OK;
        };
    var spec = CommandSpec.wrapWithoutInspection(runner);
    spec.name(name);
    spec.usageMessage().description(summary);
    spec.mixinStandardHelpOptions(true);
    spec.addMixin("options", CommandSpec.forAnnotatedObject(flags));
    return spec;
  }
}
