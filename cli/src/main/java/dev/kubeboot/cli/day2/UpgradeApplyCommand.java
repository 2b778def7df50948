package dev.kubeboot.cli.day2;

import dev.kubeboot.cli.CliContext;
import dev.kubeboot.cli.ExitCodes;
import dev.kubeboot.cli.KubebootException;
import dev.kubeboot.cli.UsageException;
import dev.kubeboot.cli.health.ControlPlaneChecks;
import dev.kubeboot.cli.health.HealthCheck;
import dev.kubeboot.cli.init.InitOptions;
import dev.kubeboot.cli.init.InitSession;
import dev.kubeboot.cli.init.RunnerControls;
import dev.kubeboot.cli.io.AtomicFileSink;
import dev.kubeboot.cli.io.FileSink;
import dev.kubeboot.cli.output.Printer;
import dev.kubeboot.pki.CertificateIssuer;
import dev.kubeboot.pki.KeyAlgorithm;
import dev.kubeboot.pki.KeyPairs;
import dev.kubeboot.runner.RunnerClient;
import dev.kubeboot.runner.manifest.GoDuration;
import dev.kubeboot.runner.worker.Sleeper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** "upgrade apply": upgrade this control-plane node, one component at a time, health-gated. */
@Command(
    name = "apply",
    mixinStandardHelpOptions = true,
    description = {
      "Upgrade this control-plane node to VERSION: check the version skew policy, then for etcd,"
          + " kube-apiserver, kube-controller-manager and kube-scheduler in turn renew the component's"
          + " certificates, back up its manifest to <kubernetes-dir>/tmp/kubeadm-backup-manifests-<time>"
          + " (etcd's data too, as a snapshot in <kubernetes-dir>/tmp/kubeadm-backup-etcd-<time>), write the"
          + " new manifest and wait until the runner runs the new pod healthy. A component that does not"
          + " come up healthy in time gets its old manifest back and the command fails naming it;"
          + " components upgraded before it stay upgraded. At the end the kubeadm-config ConfigMap is"
          + " updated to VERSION."
    })
final class UpgradeApplyCommand implements Callable<Integer> {
  private static final Duration POLL = Duration.ofMillis(500);
  // kubeadm's backup directory suffix: Go layout 2006-01-02-15-04-05, local time.
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd-HH-mm-ss");

  private final CliContext context;

  @Mixin InitOptions options;

  @Parameters(index = "0", paramLabel = "VERSION", description = "The version, e.g. v1.34.2.")
  String version;

  @Option(
      names = "--etcd-upgrade",
      arity = "0..1",
      defaultValue = "true",
      fallbackValue = "true",
      description = "Upgrade etcd too (default: ${DEFAULT-VALUE}).")
  boolean etcdUpgrade = true;

  @Option(
      names = "--certificate-renewal",
      arity = "0..1",
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Renew each component's certificates (and admin.conf) during the upgrade (default: ${DEFAULT-VALUE}).")
  boolean certificateRenewal = true;

  @Option(
      names = {"-y", "--yes"},
      description = "Do not ask for confirmation.")
  boolean yes;

  @Option(
      names = {"-f", "--force"},
      description =
          "Allow a downgrade of at most one minor release, and do not ask for confirmation.")
  boolean force;

  UpgradeApplyCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws Exception {
    var clock = Clock.systemDefaultZone();
    var printer = new Printer(context.out());
    var target = UpgradeSession.target(options, version);
    var prepared = new UpgradeSession(context, clock).prepare(options, target, etcdUpgrade, force);
    printer.phase("upgrade", "Upgrading this node from %s to %s", prepared.current(), target);
    prepared.notes().forEach(n -> printer.phase("upgrade/etcd", "%s", n));
    List<UpgradeSession.ComponentChange> changes = prepared.components();
    for (var change : changes) {
      printer.phase("upgrade", "%s: %s", change.component().podName(), change.summary());
    }
    Duration timeout = timeout(prepared);
    if (options.dryRun()) {
      for (var change : changes) {
        change.diff().forEach(printer::line);
        if (change.changed()) {
          printer.phase(
              "dryrun",
              "Would back up %s and write the %s manifest, then wait up to %s for it",
              change.manifest(),
              target,
              GoDuration.format(timeout));
        }
      }
      printer.phase(
          "dryrun", "Would update ConfigMap kubeadm-config to kubernetesVersion %s", target);
      context.out().flush();
      return ExitCodes.OK;
    }
    if (!yes && !force && !confirmed(printer)) {
      throw new KubebootException("upgrade aborted: not confirmed (pass -y to skip the question)");
    }
    RunnerClient runner = options.runnerClient();
    long pid =
        switch (runner.identify(prepared.layout().manifestDir())) {
          case RunnerClient.Serving s -> s.status().pid();
          case RunnerClient.Foreign f ->
              throw new KubebootException(
                  "the runner on " + runner.statusUri() + " cannot be used: " + f.reason());
          case RunnerClient.Absent a ->
              throw new KubebootException(
                  "no runner serving "
                      + prepared.layout().manifestDir()
                      + " answers on "
                      + runner.statusUri()
                      + ": the upgrade waits for the runner to re-create each pod; start it"
                      + " (kubeboot runner start, or pass the runner flags init used)");
        };
    FileSink sink = new AtomicFileSink();
    Map<String, HealthCheck> checks = new HashMap<>();
    for (HealthCheck check :
        ControlPlaneChecks.components(
            prepared.config(), prepared.layout().kubernetesDir(), prepared.layout().certDir())) {
      checks.put(check.component(), check);
    }
    var upgrade =
        new StaticPodUpgrade(
            sink,
            new RunnerControlPlaneWatch(runner, pid, checks),
            clock,
            Sleeper.of(clock),
            timeout,
            POLL,
            printer);
    String stamp = STAMP.format(clock.instant().atZone(clock.getZone()));
    Path tmp = prepared.layout().kubernetesDir().resolve("tmp");
    Path manifestBackups = tmp.resolve("kubeadm-backup-manifests-" + stamp);
    Path etcdBackups = tmp.resolve("kubeadm-backup-etcd-" + stamp);
    Optional<UpgradeCertificates> certs = certificates(prepared, sink);
    for (var change : changes) {
      if (!change.changed()) {
        upgrade.upgrade(
            change.component(), change.manifest(), change.after(), manifestBackups, () -> {});
        continue;
      }
      sink.createDirectories(tmp, "rwx------");
      sink.createDirectories(manifestBackups, "rwx------");
      StaticPodUpgrade.BeforeSwap before =
          () -> {
            if (change.component() == ManifestComponent.ETCD) {
              snapshot(checks.get("etcd"), sink, etcdBackups, timeout, clock, printer);
            }
            if (certs.isPresent()) {
              certs.get().renew(change.component(), printer);
            }
          };
      var outcome =
          upgrade.upgrade(
              change.component(), change.manifest(), change.after(), manifestBackups, before);
      if (outcome instanceof StaticPodUpgrade.RolledBack rolledBack) {
        String name = change.component().podName();
        throw new KubebootException(
            "upgrade of "
                + name
                + " to "
                + target
                + " failed: "
                + rolledBack.reason()
                + "; "
                + rolledBack
                    .rollbackProblem()
                    .map(
                        p -> "its old manifest is back but the old pod is not healthy either: " + p)
                    .orElse("its old manifest is back and the old pod is healthy")
                + ". Components upgraded before it stay upgraded; the old manifests are in "
                + manifestBackups
                + ". Check it with kubeboot status and kubeboot logs "
                + name
                + ", fix the cause and run the upgrade again");
      }
    }
    if (certs.isPresent()) {
      certs.get().renew(List.of(UpgradeCertificates.ADMIN), printer);
    }
    context.out().flush();
    new InitSession(context.out(), context.err(), clock, System.getenv(), RunnerControls::create)
        .run(options, List.of("upload-config"), List.of());
    printer.phase(
        "upgrade", "SUCCESS! A control plane node of your cluster was upgraded to \"%s\".", target);
    context.out().flush();
    return ExitCodes.OK;
  }

  private Duration timeout(UpgradeSession.Prepared prepared) throws UsageException {
    if (options.timeoutFlag().isPresent()) {
      String text = options.timeoutFlag().get();
      return GoDuration.parse(text)
          .filter(Duration::isPositive)
          .orElseThrow(
              () ->
                  new UsageException(
                      "--timeout: invalid duration \"" + text + "\"; use e.g. 5m or 90s"));
    }
    return prepared.config().init().timeouts().upgradeManifests();
  }

  /** The renewal of each component's certificates; empty with --certificate-renewal=false. */
  private Optional<UpgradeCertificates> certificates(
      UpgradeSession.Prepared prepared, FileSink sink) throws UsageException {
    if (!certificateRenewal) {
      return Optional.empty();
    }
    var random = new SecureRandom();
    var config = prepared.config();
    var renewal =
        new CertificateRenewal(
            sink,
            new CertificateIssuer(Clock.systemUTC().instant(), random),
            new KeyPairs(random),
            KeyAlgorithm.parse(config.cluster().encryptionAlgorithm().kubeadmName()),
            config.cluster().certificateValidityPeriod(),
            w -> {
              context.err().println("W " + w);
              context.err().flush();
            });
    return Optional.of(
        new UpgradeCertificates(
            CertInventory.of(config, prepared.layout(), w -> {}),
            sink,
            renewal,
            UpgradeCertificates.isLocal(config)));
  }

  private static void snapshot(
      HealthCheck etcd, FileSink sink, Path dir, Duration timeout, Clock clock, Printer printer)
      throws Exception {
    if (etcd == null) {
      return;
    }
    sink.createDirectories(dir, "rwx------");
    Path file = dir.resolve("snapshot.db");
    long size =
        new EtcdSnapshot(etcd.client(), etcd.url(), timeout, clock, Sleeper.of(clock)).save(file);
    printer.phase(
        "upgrade/etcd", "Saved a snapshot of etcd's data (%d bytes) to \"%s\"", size, file);
  }

  private boolean confirmed(Printer printer) throws IOException {
    var out = printer.writer();
    out.print("[upgrade] Are you sure you want to proceed? [y/N]: ");
    out.flush();
    String answer =
        new BufferedReader(new InputStreamReader(context.in(), StandardCharsets.UTF_8)).readLine();
    return answer != null && List.of("y", "yes").contains(answer.strip().toLowerCase(Locale.ROOT));
  }
}
