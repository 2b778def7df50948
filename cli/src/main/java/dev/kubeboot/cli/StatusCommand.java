package dev.kubeboot.cli;

import dev.kubeboot.cli.status.StatusCollector;
import dev.kubeboot.cli.status.StatusPrinter;
import dev.kubeboot.cli.status.StatusReport;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
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
      description = "Print the status again every --interval until interrupted.")
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

  @Option(
      names = "--runner-state-dir",
      paramLabel = "DIR",
      description =
          "The runner's state directory (default /var/lib/kubeboot, or DIR/runner with --kubernetes-dir).")
  Path stateDir;

  @Option(
      names = "--status-port",
      paramLabel = "PORT",
      description = "The runner's status port (default ${DEFAULT-VALUE}).",
      defaultValue = "10248")
  int statusPort;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  StatusCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws Exception {
    if (!output.equals("table") && !output.equals("json") && !output.equals("yaml")) {
      throw new UsageException("-o " + output + " is not a format: use table, json or yaml");
    }
    boolean customKubeDir =
        spec.commandLine().getParseResult().hasMatchedOption("--kubernetes-dir");
    Path state =
        stateDir != null
            ? stateDir
            : customKubeDir ? kubernetesDir.resolve("runner") : Path.of("/var/lib/kubeboot");
    var collector =
        new StatusCollector(
            kubernetesDir.toAbsolutePath(),
            (certDir != null ? certDir : kubernetesDir.resolve("pki")).toAbsolutePath(),
            state.toAbsolutePath(),
            statusPort,
            Clock.systemUTC());
    StatusReport report;
    do {
      report = collector.collect();
      StatusPrinter.print(report, output, context.out());
      if (watch) {
        context.out().println();
        Thread.sleep(Duration.ofSeconds(Math.max(1, interval)));
      }
    } while (watch);
    return report.healthy() ? ExitCodes.OK : ExitCodes.FAILURE;
  }
}
