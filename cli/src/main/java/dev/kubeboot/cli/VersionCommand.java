package dev.kubeboot.cli;

import picocli.CommandLine.Command;

@Command(
    name = "version",
    description = "Print the version of kubeboot.",
    mixinStandardHelpOptions = true)
final class VersionCommand implements Runnable {
  private final CliContext context;

  VersionCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public void run() {
    context.out().println(Version.line());
  }
}
