package dev.kubeboot.cli;

import picocli.CommandLine;

/** The sub-commands of kubeboot, in help order. */
final class Commands {
  private Commands() {}

  static void register(CommandLine root, CliContext context) {
    root.addSubcommand("version", new VersionCommand(context));
  }
}
