package dev.kubeboot.cli.day2;

import dev.kubeboot.cli.CliContext;
import dev.kubeboot.cli.KubebootException;
import dev.kubeboot.cli.UsageException;
import dev.kubeboot.cli.health.ControlPlaneChecks;
import dev.kubeboot.cli.health.HealthCheck;
import dev.kubeboot.cli.init.InitOptions;
import dev.kubeboot.cli.io.AtomicFileSink;
import dev.kubeboot.cli.io.FileSink;
import dev.kubeboot.cli.output.Printer;
import dev.kubeboot.pki.CertificateIssuer;
import dev.kubeboot.pki.KeyAlgorithm;
import dev.kubeboot.pki.KeyPairs;
import dev.kubeboot.runner.RunnerClient;
import dev.kubeboot.runner.manifest.GoDuration;
import dev.kubeboot.runner.worker.Sleeper;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The static-pod part of upgrade apply and upgrade node: through the runner serving this node's
 * manifests, each changed component in kubeadm's order gets its certificates renewed, its manifest
 * backed up (etcd's data as a snapshot) and replaced, and is waited for until healthy or rolled
 * back; admin.conf's certificate is renewed at the end.
 */
final class ControlPlaneUpgrade {
  private static final Duration POLL = Duration.ofMillis(500);
  // kubeadm's backup directory suffix: Go layout 2006-01-02-15-04-05, local time.
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd-HH-mm-ss");

  private final CliContext context;
  private final InitOptions options;
  private final boolean certificateRenewal;
  private final Clock clock;
  private final Printer printer;

  ControlPlaneUpgrade(
      CliContext context,
      InitOptions options,
      boolean certificateRenewal,
      Clock clock,
      Printer printer) {
    this.context = context;
    this.options = options;
    this.certificateRenewal = certificateRenewal;
    this.clock = clock;
    this.printer = printer;
  }

  /**
   * @throws KubebootException naming the component that did not come up, after its rollback
   */
  void run(UpgradeSession.Prepared prepared, Duration timeout) throws Exception {
    var target = prepared.target();
    List<UpgradeSession.ComponentChange> changes = prepared.components();
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
  }

  /**
   * --timeout, or the configuration's upgradeManifests timeout (the UpgradeConfiguration's when it
   * sets one).
   */
  static Duration timeout(InitOptions options, UpgradeSession.Prepared prepared)
      throws UsageException {
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
}
