package dev.kubeboot.cli.day2;

import dev.kubeboot.cli.CliContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** "upgrade": move this control-plane node to a new Kubernetes release, one component at a time. */
@Command(
    name = "upgrade",
    mixinStandardHelpOptions = true,
    description = {
      "Upgrade this control-plane node to a newer Kubernetes release, as kubeadm upgrade does:"
          + " plan shows the versions and what would change, diff shows the manifest diffs, apply"
          + " replaces etcd, kube-apiserver, kube-controller-manager and kube-scheduler one at a"
          + " time, each waited for until healthy and rolled back if it is not."
    })
public final class UpgradeCommand implements Runnable {
  private final CliContext context;
  @Spec CommandSpec spec;

  UpgradeCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public void run() {
    spec.commandLine().usage(context.out());
  }

  public static CommandLine commandLine(CliContext context) {
    var upgrade = new CommandLine(new UpgradeCommand(context));
    upgrade.addSubcommand("plan", new CommandLine(new UpgradePlanCommand(context)));
    upgrade.addSubcommand("apply", new CommandLine(new UpgradeApplyCommand(context)));
    upgrade.addSubcommand("diff", new CommandLine(new UpgradeDiffCommand(context)));
    return upgrade;
  }
}
