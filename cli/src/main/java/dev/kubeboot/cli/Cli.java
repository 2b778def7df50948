package dev.kubeboot.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Builds the picocli command tree and maps every outcome to one exit code. */
final class Cli {
  private Cli() {}

  @Command(
      name = "kubeboot",
      mixinStandardHelpOptions = true,
      versionProvider = Cli.VersionProvider.class,
      description =
          "Bootstraps a Kubernetes control plane the way kubeadm init does, and runs its static pods"
              + " with an embedded runner (the static-pod half of a kubelet).",
      subcommands = {CommandLine.HelpCommand.class})
  static final class Root implements Runnable {
    private final CliContext context;
    @picocli.CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @CommandLine.Mixin dev.kubeboot.cli.options.Verbosity verbosity;

    Root(CliContext context) {
      this.context = context;
    }

    @CommandLine.Option(
        names = "--stacktrace",
        scope = CommandLine.ScopeType.INHERIT,
        description = "Print the full stack trace of an error.")
    void stacktrace(boolean on) {
      context.stacktrace(on);
    }

    @Override
    public void run() {
      // As kubeadm: no command shows the help.
      spec.commandLine().usage(context.out());
    }
  }

  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {Version.line()};
    }
  }

  static int run(PrintWriter out, PrintWriter err, String... args) {
    return run(new CliContext(out, err), args);
  }

  static int run(java.io.InputStream in, PrintWriter out, PrintWriter err, String... args) {
    return run(new CliContext(out, err, in), args);
  }

  private static int run(CliContext context, String... args) {
    PrintWriter out = context.out();
    PrintWriter err = context.err();
    var commandLine = new CommandLine(new Root(context), context.factory());
    Commands.register(commandLine, context, args);
    commandLine.setOut(out);
    commandLine.setErr(err);
    commandLine.setParameterExceptionHandler(
        (ex, a) -> {
          err.println("error: " + ex.getMessage());
          if (!CommandLine.UnmatchedArgumentException.printSuggestions(ex, err)) {
            ex.getCommandLine().usage(err);
          }
          err.flush();
          return ExitCodes.USAGE;
        });
    commandLine.setExecutionExceptionHandler(
        (ex, cl, parseResult) -> {
          int code = ExitMapper.code(ex);
          err.println("error: " + ExitMapper.message(ex));
          if (context.stacktrace()) {
            ex.printStackTrace(err);
          } else if (code == ExitCodes.FAILURE && !(ex instanceof KubebootException)) {
            err.println(
                "To see the stack trace of this error run again with --stacktrace (or -v 5)");
          }
          err.flush();
          return code;
        });
    return commandLine.execute(args);
  }
}
