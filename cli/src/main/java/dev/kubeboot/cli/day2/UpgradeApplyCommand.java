package dev.kubeboot.cli.day2;

import dev.kubeboot.cli.CliContext;
import dev.kubeboot.cli.ExitCodes;
import dev.kubeboot.cli.KubebootException;
import dev.kubeboot.cli.config.UpgradeConfigReader;
import dev.kubeboot.cli.init.InitOptions;
import dev.kubeboot.cli.init.InitSession;
import dev.kubeboot.cli.init.RunnerControls;
import dev.kubeboot.cli.io.AtomicFileSink;
import dev.kubeboot.cli.output.Printer;
import dev.kubeboot.runner.manifest.GoDuration;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
          + " updated to VERSION.",
      "--config reads kubeadm's UpgradeConfiguration (kubeadm.k8s.io/v1beta4) and uses its apply"
          + " section: apply.kubernetesVersion when VERSION is not given, etcdUpgrade,"
          + " certificateRenewal, dryRun, forceUpgrade, imagePullPolicy, printConfig, skipPhases"
          + " (control-plane, upload-config) and timeouts.upgradeManifests; a flag given wins over"
          + " the file. An InitConfiguration or ClusterConfiguration in the file is rendered with"
          + " instead of the cluster's kubeadm-config."
    })
final class UpgradeApplyCommand implements Callable<Integer> {

  private final CliContext context;

  @Mixin InitOptions options;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "VERSION",
      description =
          "The version, e.g. v1.34.2 (default: apply.kubernetesVersion of the --config file).")
  String version;

  @Mixin StaticPodUpgradeOptions upgradeOptions = new StaticPodUpgradeOptions();

  @Option(
      names = {"-y", "--yes"},
      description = "Do not ask for confirmation.")
  boolean yes;

  @Option(
      names = {"-f", "--force"},
      description =
          "Allow a downgrade of at most one minor release, and do not ask for confirmation.")
  boolean force;

  @Option(
      names = "--skip-phases",
      split = ",",
      paramLabel = "PHASE",
      description =
          "Phases to skip: control-plane, upload-config, upload-config/kubeadm, upload-config/kubelet (kubeadm's other phase names are accepted; kubeboot does not run them). Default: apply.skipPhases of the --config file.")
  List<String> skipPhases = new ArrayList<>();

  @Option(
      names = "--print-config",
      description = "Print the ClusterConfiguration the upgrade renders with.")
  boolean printConfig;

  UpgradeApplyCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws Exception {
    var clock = Clock.systemDefaultZone();
    var printer = new Printer(context.out());
    UpgradeConfigReader.Reading file =
        UpgradeConfigSource.file(options, UpgradeConfigReader.Command.APPLY, context.err());
    var section = file.upgrade().apply();
    var target =
        UpgradeSession.target(
            options, version, section.kubernetesVersion(), "apply.kubernetesVersion");
    options.alsoDryRun(section.dryRun().orElse(false));
    boolean forced = force || section.forceUpgrade().orElse(false);
    boolean etcd =
        UpgradeConfigSource.choose(upgradeOptions.etcdUpgrade, section.etcdUpgrade(), true);
    boolean renewal =
        UpgradeConfigSource.choose(
            upgradeOptions.certificateRenewal, section.certificateRenewal(), true);
    List<String> skip =
        UpgradeConfigSource.skipPhases(
            skipPhases, section.skipPhases(), UpgradeConfigReader.APPLY_PHASES);
    var prepared =
        new UpgradeSession(context, clock, file, section.imagePullPolicy())
            .prepare(options, target, etcd, forced);
    if (printConfig || section.printConfig().orElse(false)) {
      UpgradeSession.printConfig(printer, prepared.config());
    }
    printer.phase("upgrade", "Upgrading this node from %s to %s", prepared.current(), target);
    prepared.notes().forEach(n -> printer.phase("upgrade/etcd", "%s", n));
    List<UpgradeSession.ComponentChange> changes = prepared.components();
    for (var change : changes) {
      printer.phase("upgrade", "%s: %s", change.component().podName(), change.summary());
    }
    boolean controlPlane = !skip.contains("control-plane");
    boolean uploadConfig = !skip.contains("upload-config");
    Duration timeout = ControlPlaneUpgrade.timeout(options, prepared);
    if (options.dryRun()) {
      for (var change : controlPlane ? changes : List.<UpgradeSession.ComponentChange>of()) {
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
      if (uploadConfig) {
        printer.phase(
            "dryrun", "Would update ConfigMap kubeadm-config to kubernetesVersion %s", target);
      }
      skipped(printer, skip);
      context.out().flush();
      return ExitCodes.OK;
    }
    if (!yes && !forced && !confirmed(printer)) {
      throw new KubebootException("upgrade aborted: not confirmed (pass -y to skip the question)");
    }
    if (controlPlane) {
      new ControlPlaneUpgrade(context, options, renewal, clock, printer).run(prepared, timeout);
    }
    context.out().flush();
    if (uploadConfig) {
      var skipUpload = new ArrayList<String>();
      for (String phase : skip) {
        if (phase.startsWith("upload-config/")) {
          skipUpload.add(phase);
        }
      }
      new InitSession(context.out(), context.err(), clock, System.getenv(), RunnerControls::create)
          .run(
              options,
              List.of("upload-config"),
              skipUpload,
              new AtomicFileSink(),
              prepared.config());
    }
    skipped(printer, skip);
    printer.phase(
        "upgrade", "SUCCESS! A control plane node of your cluster was upgraded to \"%s\".", target);
    context.out().flush();
    return ExitCodes.OK;
  }

  /** Says which of the skipped phases kubeboot runs at all; the others it never runs. */
  private static void skipped(Printer printer, List<String> skip) {
    for (String phase : skip) {
      boolean runs =
          phase.equals("control-plane")
              || phase.equals("upload-config")
              || phase.startsWith("upload-config/");
      printer.phase(
          "upgrade",
          runs
              ? "Skipped phase %s"
              : "Skipped phase %s (kubeboot's upgrade apply does not run it anyway)",
          phase);
    }
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
