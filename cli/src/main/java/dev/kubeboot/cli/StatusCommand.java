package dev.kubeboot.cli;

import dev.kubeboot.cli.options.RunnerOptions;
import dev.kubeboot.cli.output.Terminal;
import dev.kubeboot.cli.status.StatusCollector;
import dev.kubeboot.cli.status.StatusPrinter;
import dev.kubeboot.cli.status.StatusReport;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Show the health of the control plane on this node: each component's pod, restarts and health endpoint,",
      "the runner, manifest errors and certificates that expire soon. Exits 0 when everything is healthy, 1 otherwise."
    })
final class StatusCommand implements Callable<Integer> {
  private final CliContext context;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "table, json or yaml (default ${DEFAULT-VALUE}).",
      defaultValue = "table")
  String output;

  @Option(
      names = {"-w", "--watch"},
      description =
          "Print the status again every --interval until interrupted: on a terminal the screen is"
              + " redrawn in place under a timestamp, else each report follows the last.")
  boolean watch;

  @Option(
      names = "--interval",
      paramLabel = "SECONDS",
      description = "Seconds between --watch updates (default ${DEFAULT-VALUE}).",
      defaultValue = "2")
  int interval;

  @Option(
      names = "--kubernetes-dir",
      paramLabel = "DIR",
      description = "Where init wrote kubeconfigs and manifests (default ${DEFAULT-VALUE}).",
      defaultValue = "/etc/kubernetes")
  Path kubernetesDir;

  @Option(
      names = "--cert-dir",
      paramLabel = "DIR",
      description = "Certificates directory (default: DIR/pki of --kubernetes-dir).")
  Path certDir;

  @Mixin RunnerOptions runner = new RunnerOptions();

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  /** ANSI: cursor to the top left, then erase the whole screen. */
  static final String CLEAR_SCREEN = "\u001b[H\u001b[2J";

  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z", Locale.ROOT);

  private final Clock clock;

  StatusCommand(CliContext context) {
    this(context, Clock.systemDefaultZone());
  }

  StatusCommand(CliContext context, Clock clock) {
    this.context = context;
    this.clock = clock;
  }

  @Override
  public Integer call() throws Exception {
    if (!output.equals("table") && !output.equals("json") && !output.equals("yaml")) {
      throw new UsageException("-o " + output + " is not a format: use table, json or yaml");
    }
    boolean customKubeDir =
        spec.commandLine().getParseResult().hasMatchedOption("--kubernetes-dir");
    var collector =
        new StatusCollector(
            kubernetesDir.toAbsolutePath(),
            (certDir != null ? certDir : kubernetesDir.resolve("pki")).toAbsolutePath(),
            runner.client(customKubeDir ? Optional.of(kubernetesDir) : Optional.empty()),
            clock);
    if (interval < 1) {
      throw new UsageException("--interval " + interval + ": give a number of seconds, 1 or more");
    }
    if (!watch) {
      StatusReport report = collector.collect();
      StatusPrinter.print(report, output, context.out());
      return report.healthy() ? ExitCodes.OK : ExitCodes.FAILURE;
    }
    boolean terminal = Terminal.stdoutIsTerminal();
    while (true) {
      StatusReport report = collector.collect();
      context.out().print(frame(report, clock.instant(), terminal));
      context.out().flush();
      Thread.sleep(Duration.ofSeconds(interval));
    }
  }

  /**
   * One --watch update. On a terminal: cursor home and clear the screen, then a header with the
   * time, so the report is redrawn in place as watch(1) does; elsewhere (a file, a pipe) the header
   * and the report, after a blank line, so the updates read as a log.
   */
  String frame(StatusReport report, Instant now, boolean terminal) throws java.io.IOException {
    var text = new java.io.StringWriter();
    var out = new java.io.PrintWriter(text);
    if (terminal) {
      out.print(CLEAR_SCREEN);
    }
    out.println(
        "Every "
            + interval
            + "s: kubeboot status"
            + "    "
            + TIMESTAMP.format(now.atZone(clock.getZone())));
    out.println();
    StatusPrinter.print(report, output, out);
    if (!terminal) {
      out.println();
    }
    out.flush();
    return text.toString();
  }
}
