package dev.kubeboot.cli;

import dev.kubeboot.cli.day2.CertsCommand;
import dev.kubeboot.cli.day2.CheckCommand;
import dev.kubeboot.cli.day2.CompletionCommand;
import dev.kubeboot.cli.day2.ConfigCommand;
import dev.kubeboot.cli.day2.DocsCommand;
import dev.kubeboot.cli.day2.KubeconfigCommand;
import dev.kubeboot.cli.day2.ManifestsCommand;
import dev.kubeboot.cli.day2.ResetCommand;
import dev.kubeboot.cli.day2.RestartCommand;
import dev.kubeboot.cli.day2.TokenCommand;
import dev.kubeboot.cli.day2.UpgradeCommand;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import picocli.CommandLine;

/**
 * The sub-commands of kubeboot, in help order.
 *
 * <p>picocli's model of a command costs tens of milliseconds to build, so a run that names a known
 * command gets only that one; help, completion, docs and mistyped names see them all.
 */
final class Commands {
  private static final Map<String, Function<CliContext, Object>> COMMANDS = commands();
  // They describe the whole tree.
  private static final Set<String> NEED_ALL = Set.of("completion", "docs");

  private Commands() {}

  private static Map<String, Function<CliContext, Object>> commands() {
    Map<String, Function<CliContext, Object>> commands = new LinkedHashMap<>();
    commands.put("init", context -> init(context, true));
    commands.put("join", JoinCommand::commandLine);
    commands.put("status", context -> cli(new StatusCommand(context), context));
    commands.put("logs", context -> cli(new LogsCommand(context), context));
    commands.put("runner", RunnerCommand::commandLine);
    commands.put("manifests", context -> cli(new ManifestsCommand(context), context));
    commands.put("certs", CertsCommand::commandLine);
    commands.put("kubeconfig", KubeconfigCommand::commandLine);
    commands.put("token", TokenCommand::commandLine);
    commands.put("upgrade", UpgradeCommand::commandLine);
    commands.put("reset", context -> cli(new ResetCommand(context), context));
    commands.put("restart", context -> cli(new RestartCommand(context), context));
    commands.put("check", CheckCommand::commandLine);
    commands.put("config", ConfigCommand::commandLine);
    commands.put("completion", context -> cli(new CompletionCommand(context), context));
    commands.put("docs", DocsCommand::commandLine);
    commands.put("version", VersionCommand::new);
    return Collections.unmodifiableMap(commands);
  }

  /**
   * {@code init}, with {@code init phase} only when asked for: the phase tree repeats init's
   * options on some forty commands, which alone costs ~0.2 s to build.
   */
  private static CommandLine init(CliContext context, boolean withPhases) {
    var init = cli(new InitCommand(context), context);
    if (withPhases) {
      init.addSubcommand("phase", InitCommand.phaseCommand(context));
    }
    return init;
  }

  private static CommandLine cli(Object command, CliContext context) {
    return new CommandLine(command, context.factory());
  }

  /** Adds the sub-commands that {@code args} can reach. */
  static void register(CommandLine root, CliContext context, String... args) {
    Optional<String> named =
        Arrays.stream(args)
            .filter(arg -> !arg.startsWith("-")) // the root's options are all flags
            .findFirst()
            .filter(name -> COMMANDS.containsKey(name) && !NEED_ALL.contains(name));
    if (named.filter("init"::equals).isPresent()) {
      List<String> words = Arrays.asList(args);
      boolean phases = words.contains("phase") || words.contains("--help") || words.contains("-h");
      root.addSubcommand("init", init(context, phases));
    } else if (named.isPresent()) {
      root.addSubcommand(named.get(), COMMANDS.get(named.get()).apply(context));
    } else {
      COMMANDS.forEach((name, command) -> root.addSubcommand(name, command.apply(context)));
    }
  }
}
