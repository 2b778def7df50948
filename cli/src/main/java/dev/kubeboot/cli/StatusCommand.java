package dev.kubeboot.cli;

import dev.kubeboot.cli.options.RunnerOptions;
import dev.kubeboot.cli.status.StatusCollector;
import dev.kubeboot.cli.status.StatusPrinter;
import dev.kubeboot.cli.status.StatusReport;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
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

  @Mixin RunnerOptions runner = new RunnerOptions();

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
    var collector =
        new StatusCollector(
            kubernetesDir.toAbsolutePath(),
            (certDir != null ? certDir : kubernetesDir.resolve("pki")).toAbsolutePath(),
            runner.client(customKubeDir ? Optional.of(kubernetesDir) : Optional.empty()),
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
