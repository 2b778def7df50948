package dev.kubeboot.cli.day2;

import dev.kubeboot.cli.CliContext;
import dev.kubeboot.cli.ExitCodes;
import dev.kubeboot.cli.config.UpgradeConfigReader;
import dev.kubeboot.cli.init.InitOptions;
import dev.kubeboot.cli.output.Printer;
import dev.kubeboot.templates.KubernetesVersion;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * "upgrade node": bring this control-plane node to the version another node's upgrade apply
 * recorded in the cluster's kubeadm-config, with the cluster's configuration, as kubeadm does on
 * the second and later control-plane nodes. The uploaded configuration is left as it is.
 */
@Command(
    name = "node",
    mixinStandardHelpOptions = true,
    description = {
      "Upgrade this control-plane node to the Kubernetes version in the cluster's kubeadm-config"
          + " ConfigMap (which upgrade apply on another control-plane node set), rendering its"
          + " manifests from the cluster's configuration and this node's own name and advertise"
          + " address (or from --config). Components are replaced one at a time, each waited for"
          + " until healthy and rolled back if it is not, as upgrade apply does.",
      "--config reads kubeadm's UpgradeConfiguration (kubeadm.k8s.io/v1beta4) and uses its node"
          + " section: etcdUpgrade, certificateRenewal, dryRun, imagePullPolicy, skipPhases"
          + " (control-plane) and timeouts.upgradeManifests; a flag given wins over the file."
    })
final class UpgradeNodeCommand implements Callable<Integer> {
  private final CliContext context;

  @Mixin InitOptions options;

  @Mixin StaticPodUpgradeOptions upgradeOptions = new StaticPodUpgradeOptions();

  @Option(
      names = "--skip-phases",
      split = ",",
      paramLabel = "PHASE",
      description =
          "Phases to skip: control-plane (kubeadm's other phase names are accepted; kubeboot does not run them). Default: node.skipPhases of the --config file.")
  List<String> skipPhases = new ArrayList<>();

  UpgradeNodeCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws Exception {
    var clock = Clock.systemDefaultZone();
    var printer = new Printer(context.out());
    UpgradeConfigReader.Reading file =
        UpgradeConfigSource.file(options, UpgradeConfigReader.Command.NODE, context.err());
    var section = file.upgrade().node();
    options.alsoDryRun(section.dryRun().orElse(false));
    boolean etcd =
        UpgradeConfigSource.choose(upgradeOptions.etcdUpgrade, section.etcdUpgrade(), true);
    boolean renewal =
        UpgradeConfigSource.choose(
            upgradeOptions.certificateRenewal, section.certificateRenewal(), true);
    var session = new UpgradeSession(context, clock, file, section.imagePullPolicy());
    // The target is the cluster's version even with --config, whose InitConfiguration or
    // ClusterConfiguration then only replaces the cluster's as what the manifests render from.
    KubernetesVersion target =
        UpgradeSession.parseTarget(
            session.clusterConfig(options).cluster().kubernetesVersion().text());
    List<String> skip =
        UpgradeConfigSource.skipPhases(
            skipPhases, section.skipPhases(), UpgradeConfigReader.NODE_PHASES);
    if (skip.contains("control-plane")) {
      skip.forEach(p -> printer.phase("upgrade", "Skipped phase %s", p));
      printer.phase("upgrade", "control-plane is skipped: this node's manifests stay as they are");
      context.out().flush();
      return ExitCodes.OK;
    }
    var prepared = session.prepare(options, target, etcd, false);
    printer.phase(
        "upgrade",
        "Upgrading your Static Pod-hosted control plane instance to version \"%s\"...",
        target);
    prepared.notes().forEach(n -> printer.phase("upgrade/etcd", "%s", n));
    for (var change : prepared.components()) {
      printer.phase("upgrade", "%s: %s", change.component().podName(), change.summary());
    }
    Duration timeout = ControlPlaneUpgrade.timeout(options, prepared);
    if (options.dryRun()) {
      for (var change : prepared.components()) {
        change.diff().forEach(printer::line);
      }
      context.out().flush();
      return ExitCodes.OK;
    }
    if (prepared.components().stream().noneMatch(UpgradeSession.ComponentChange::changed)) {
      printer.phase("upgrade", "This node already runs %s: nothing to change", target);
      context.out().flush();
      return ExitCodes.OK;
    }
    new ControlPlaneUpgrade(context, options, renewal, clock, printer).run(prepared, timeout);
    printer.phase(
        "upgrade/control-plane",
        "The control plane instance for this node was successfully upgraded!");
    context.out().flush();
    return ExitCodes.OK;
  }
}
