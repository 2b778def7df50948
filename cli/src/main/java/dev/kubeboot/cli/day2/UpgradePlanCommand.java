package dev.kubeboot.cli.day2;

import dev.kubeboot.cli.CliContext;
import dev.kubeboot.cli.ExitCodes;
import dev.kubeboot.cli.UsageException;
import dev.kubeboot.cli.config.UpgradeConfigReader;
import dev.kubeboot.cli.init.InitOptions;
import dev.kubeboot.cli.io.AtomicFileSink;
import dev.kubeboot.cli.output.Printer;
import dev.kubeboot.runner.RunnerClient;
import dev.kubeboot.runner.status.ContainerStatus;
import dev.kubeboot.runner.status.PodStatus;
import dev.kubeboot.runner.status.RunnerStatus;
import dev.kubeboot.templates.KubernetesVersion;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** "upgrade plan": the versions this node runs, where it can go, and what would change. */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    description = {
      "Show the versions this control-plane node runs (its manifests' images and the pods the runner"
          + " runs), the versions it can be upgraded to (within v1.31 to v1.34, one minor at a time),"
          + " and per target what would change in each manifest and which certificates apply"
          + " would renew.",
      "--config reads kubeadm's UpgradeConfiguration (kubeadm.k8s.io/v1beta4) and uses its plan"
          + " section: plan.kubernetesVersion when VERSION is not given, etcdUpgrade and"
          + " printConfig; a flag given wins over the file."
    })
final class UpgradePlanCommand implements Callable<Integer> {
  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("MMM dd, uuuu HH:mm 'UTC'", java.util.Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  private final CliContext context;

  @Mixin InitOptions options;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "VERSION",
      description = "Plan for this version only (default: every available target).")
  String version;

  @Option(
      names = "--etcd-upgrade",
      arity = "0..1",
      fallbackValue = "true",
      description =
          "Plan etcd's upgrade too (default: true, or the config file's plan.etcdUpgrade).")
  Boolean etcdUpgrade;

  @Option(
      names = "--print-config",
      description = "Print the ClusterConfiguration the upgrade renders with.")
  boolean printConfig;

  UpgradePlanCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws Exception {
    UpgradeConfigReader.Reading file =
        UpgradeConfigSource.file(options, UpgradeConfigReader.Command.PLAN, context.err());
    var section = file.upgrade().plan();
    Optional<KubernetesVersion> wanted =
        version == null && section.kubernetesVersion().isEmpty()
            ? Optional.empty()
            : Optional.of(
                UpgradeSession.target(
                    options, version, section.kubernetesVersion(), "plan.kubernetesVersion"));
    boolean etcd = UpgradeConfigSource.choose(etcdUpgrade, section.etcdUpgrade(), true);
    boolean print = printConfig || section.printConfig().orElse(false);
    if (wanted.isEmpty() && options.kubernetesVersionFlag().isPresent()) {
      throw new UsageException(
          "upgrade plan takes the version as its argument (kubeboot upgrade plan "
              + options.kubernetesVersionFlag().get()
              + "), not --kubernetes-version");
    }
    KubernetesVersion current = UpgradeSession.current(options);
    PrintWriter out = context.out();
    out.printf("[upgrade/versions] Cluster version: %s%n", current);
    out.printf(
        "[upgrade/versions] kubeboot renders: v%d.%d to v%d.%d (newest known release %s)%n",
        KubernetesVersion.MIN_SUPPORTED.major(),
        KubernetesVersion.MIN_SUPPORTED.minor(),
        KubernetesVersion.MAX_SUPPORTED.major(),
        KubernetesVersion.MAX_SUPPORTED.minor(),
        KubernetesVersion.DEFAULT);
    List<KubernetesVersion> targets =
        wanted.map(List::of).orElseGet(() -> UpgradeTargets.available(current));
    if (targets.isEmpty()) {
      out.printf("%nAwesome, you're up-to-date! Enjoy!%n");
      out.flush();
      return ExitCodes.OK;
    }
    Optional<RunnerStatus> running = runnerStatus();
    for (KubernetesVersion target : targets) {
      var prepared =
          new UpgradeSession(context, Clock.systemUTC(), file, Optional.empty())
              .prepare(options, target, etcd, false);
      if (print) {
        UpgradeSession.printConfig(new Printer(out), prepared.config());
        print = false;
      }
      printTarget(out, prepared, running);
    }
    out.flush();
    return ExitCodes.OK;
  }

  private void printTarget(
      PrintWriter out, UpgradeSession.Prepared prepared, Optional<RunnerStatus> running)
      throws Exception {
    out.printf(
        "%nUpgrade to %s (%s):%n%n",
        prepared.target(),
        prepared.target().minor() == prepared.current().minor()
            ? "the newest known release in the v1." + prepared.target().minor() + " series"
            : "the next minor release");
    var rows = new ArrayList<String[]>();
    rows.add(new String[] {"COMPONENT", "CURRENT", "RUNNING", "TARGET", "MANIFEST"});
    boolean anyChange = false;
    for (var change : prepared.components()) {
      String currentImage =
          change.before().flatMap(ManifestImages::image).flatMap(ManifestImages::tag).orElse("-");
      String targetImage =
          ManifestImages.image(change.after()).flatMap(ManifestImages::tag).orElse("-");
      String runningImage =
          running
              .flatMap(s -> podOf(s, change.manifest()))
              .flatMap(p -> p.containerStatuses().stream().findFirst())
              .map(ContainerStatus::image)
              .flatMap(ManifestImages::tag)
              .orElse("-");
      rows.add(
          new String[] {
            change.component().podName(), currentImage, runningImage, targetImage, change.summary()
          });
      anyChange |= change.changed();
    }
    printTable(out, rows);
    prepared.notes().forEach(n -> out.printf("%nNote: %s%n", n));
    if (!UpgradeCertificates.isLocal(prepared.config())) {
      out.printf("%netcd is external: upgrade it yourself.%n");
    }
    if (anyChange) {
      printRenewals(out, prepared);
      out.printf(
          "%nYou can now apply the upgrade by executing the following command:%n%n\tkubeboot upgrade apply %s%n",
          prepared.target());
    } else {
      out.printf("%nEvery manifest is already what %s renders.%n", prepared.target());
    }
  }

  private void printRenewals(PrintWriter out, UpgradeSession.Prepared prepared) throws Exception {
    var sink = new AtomicFileSink();
    var inventory = CertInventory.of(prepared.config(), prepared.layout(), w -> {});
    var names = new ArrayList<String>();
    for (var change : prepared.components()) {
      if (change.changed()) {
        names.addAll(
            UpgradeCertificates.of(
                change.component(), UpgradeCertificates.isLocal(prepared.config())));
      }
    }
    names.add(UpgradeCertificates.ADMIN);
    out.printf(
        "%nCertificates renewed by the upgrade (keep them with --certificate-renewal=false):%n");
    for (var cert : UpgradeCertificates.renewable(inventory, sink, names)) {
      Optional<X509Certificate> now = CertInventory.read(sink, cert);
      out.printf(
          "  %-26s %s%n",
          cert.name(),
          now.map(c -> "expires " + DATE.format(c.getNotAfter().toInstant())).orElse("missing"));
    }
  }

  private Optional<RunnerStatus> runnerStatus() throws InterruptedException {
    Path kubernetesDir = options.kubernetesDirOrDefault();
    RunnerClient runner = options.runnerClient();
    return switch (runner.identify(kubernetesDir.resolve("manifests"))) {
      case RunnerClient.Serving s -> Optional.of(s.status());
      case RunnerClient.Foreign f -> Optional.empty();
      case RunnerClient.Absent a -> Optional.empty();
    };
  }

  static Optional<PodStatus> podOf(RunnerStatus status, Path manifest) {
    Path wanted = manifest.toAbsolutePath().normalize();
    return status.pods().stream()
        .filter(p -> Path.of(p.source()).toAbsolutePath().normalize().equals(wanted))
        .findFirst();
  }

  private static void printTable(PrintWriter out, List<String[]> rows) {
    int[] widths = new int[rows.getFirst().length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      var line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(
            i == row.length - 1 ? row[i] : String.format("%-" + (widths[i] + 3) + "s", row[i]));
      }
      out.println(line.toString().stripTrailing());
    }
  }
}
