package dev.kubeboot.cli.options;

import dev.kubeboot.cli.CliContext;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code -v N} / {@code --v=N}, kubeadm's klog verbosity, on every command: it chooses the level of
 * kubeboot's diagnostics on stderr (0: info, the default; 1 to 4: debug; 5 and more: trace), and
 * from 5 on errors come with their stack trace, as kubeadm prints them from {@code --v=5}.
 */
public final class Verbosity {
  /** The verbosity from which errors carry their stack trace (kubeadm's threshold). */
  public static final int STACK_TRACES = 5;

  private final CliContext context;

  public Verbosity(CliContext context) {
    this.context = context;
  }

  @Option(
      names = {"-v", "--v"},
      paramLabel = "N",
      scope = CommandLine.ScopeType.INHERIT,
      description =
          "Log verbosity, as kubeadm's --v: 0 (default) info, 1-4 debug, 5 and more trace and"
              + " stack traces of errors.")
  void level(int level) {
    if (level < 0) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "-v " + level + " is not a verbosity: give 0 or more, e.g. -v 4");
    }
    context.verbosity(level);
  }

  /** The slf4j level a verbosity means. */
  public static String logLevel(int verbosity) {
    if (verbosity >= STACK_TRACES) {
      return "trace";
    }
    return verbosity >= 1 ? "debug" : "info";
  }

  /**
   * The verbosity a command line asks for, read before picocli parses it: the process entry point
   * needs it before anything logs. Accepts {@code -v N}, {@code -vN}, {@code -v=N}, {@code --v N}
   * and {@code --v=N}; the last one wins, as picocli's option does. Anything unreadable is left to
   * picocli, which reports it.
   */
  public static Optional<Integer> fromArgs(List<String> args) {
    Optional<Integer> found = Optional.empty();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--")) {
        break;
      }
      String value = null;
      if (arg.equals("-v") || arg.equals("--v")) {
        value = i + 1 < args.size() ? args.get(i + 1) : null;
      } else if (arg.startsWith("--v=")) {
        value = arg.substring(4);
      } else if (arg.startsWith("-v=")) {
        value = arg.substring(3);
      } else if (arg.startsWith("-v") && arg.length() > 2 && Character.isDigit(arg.charAt(2))) {
        value = arg.substring(2);
      }
      if (value != null && value.matches("\\d{1,3}")) {
        found = Optional.of(Integer.parseInt(value));
      }
    }
    return found;
  }
}
