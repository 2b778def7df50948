package dev.kubeboot.cli;

import picocli.CommandLine;

/** The sub-commands of kubeboot, in help order. */
final class Commands {
  private Commands() {}

  static void register(CommandLine root, CliContext context) {
    var init = new CommandLine(new InitCommand(context), context.factory());
    init.addSubcommand("phase", InitCommand.phaseCommand(context));
    root.addSubcommand("init", init);
    root.addSubcommand("status", new CommandLine(new StatusCommand(context), context.factory()));
    root.addSubcommand("logs", new CommandLine(new LogsCommand(context), context.factory()));
    root.addSubcommand("runner", new CommandLine(new RunnerCommand(context), context.factory()));
    root.addSubcommand("manifests", new CommandLine(new dev.kubeboot.cli.day2.ManifestsCommand(context), context.factory()));
    root.addSubcommand("certs", dev.kubeboot.cli.day2.CertsCommand.commandLine(context));
    root.addSubcommand("reset", new CommandLine(new dev.kubeboot.cli.day2.ResetCommand(context), context.factory()));
    root.addSubcommand("config", new CommandLine(new ConfigCommand(), context.factory()));
    root.addSubcommand("completion", new CommandLine(new dev.kubeboot.cli.day2.CompletionCommand(context), context.factory()));
    root.addSubcommand("docs", dev.kubeboot.cli.day2.DocsCommand.commandLine(context));
    root.addSubcommand("version", new VersionCommand(context));
  }
}
