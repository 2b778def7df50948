package dev.kubeboot.cli.day2;

import dev.kubeboot.cli.CliContext;
import dev.kubeboot.cli.ExitCodes;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** "docs": documentation generated from the command tree itself. */
@Command(
    name = "docs",
    mixinStandardHelpOptions = true,
    description = "Generate documentation for kubeboot.")
public final class DocsCommand implements Runnable {
  private final CliContext context;
  @Spec CommandSpec spec;

  DocsCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public void run() {
    spec.commandLine().usage(context.out());
  }

  public static CommandLine commandLine(CliContext context) {
    var line = new CommandLine(new DocsCommand(context));
    line.addSubcommand("man", new CommandLine(new Man(context)));
    return line;
  }

  @Command(
      name = "man",
      mixinStandardHelpOptions = true,
      description =
          "Write a man page (troff, section 1) for kubeboot and each of its sub-commands into a directory: kubeboot.1, kubeboot-init.1, kubeboot-certs-renew.1, ...")
  static final class Man implements Callable<Integer> {
    private final CliContext context;
    @Spec CommandSpec spec;

    @Option(
        names = "--dir",
        paramLabel = "DIR",
        required = true,
        description = "Where to write the pages (created when missing).")
    Path dir;

    Man(CliContext context) {
      this.context = context;
    }

    @Override
    public Integer call() throws Exception {
      var written = new ManPages(new dev.kubeboot.cli.io.AtomicFileSink()).write(spec.root(), dir);
      context
          .out()
          .printf("[docs] Wrote %d man pages to %s%n", written.size(), dir.toAbsolutePath());
      context.out().flush();
      return ExitCodes.OK;
    }
  }
}
