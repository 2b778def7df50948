package dev.kubeboot.cli.day2;

import dev.kubeboot.cli.CliContext;
import dev.kubeboot.cli.ExitCodes;
import dev.kubeboot.cli.init.InitOptions;
import dev.kubeboot.cli.output.Printer;
import dev.kubeboot.templates.KubernetesVersion;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

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
          + " until healthy and rolled back if it is not, as upgrade apply does."
    })
final class UpgradeNodeCommand implements Callable<Integer> {
  private final CliContext context;

  @Mixin InitOptions options;

  @Mixin StaticPodUpgradeOptions upgradeOptions = new StaticPodUpgradeOptions();

  UpgradeNodeCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws Exception {
    var clock = Clock.systemDefaultZone();
    var printer = new Printer(context.out());
    var session = new UpgradeSession(context, clock);
    // The target is the cluster's version even with --config, which then only replaces the
    // cluster's configuration as what the manifests are rendered from.
    KubernetesVersion target =
        UpgradeSession.parseTarget(
            session.clusterConfig(options).cluster().kubernetesVersion().text());
    var prepared = session.prepare(options, target, upgradeOptions.etcdUpgrade, false);
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
    new ControlPlaneUpgrade(context, options, upgradeOptions, clock, printer)
        .run(prepared, timeout);
    printer.phase(
        "upgrade/control-plane",
        "The control plane instance for this node was successfully upgraded!");
    context.out().flush();
    return ExitCodes.OK;
  }
}
