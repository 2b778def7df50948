package dev.kubeboot.cli.day2;

import dev.kubeboot.cli.CliContext;
import dev.kubeboot.cli.ExitCodes;
import dev.kubeboot.cli.init.InitOptions;
import dev.kubeboot.cli.output.Printer;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** "upgrade diff": the manifest diffs of an upgrade, nothing else. */
@Command(
    name = "diff",
    mixinStandardHelpOptions = true,
    description = "Show the changes an upgrade to VERSION makes to the static Pod manifests.")
final class UpgradeDiffCommand implements Callable<Integer> {
  private final CliContext context;

  @Mixin InitOptions options;

  @Parameters(index = "0", paramLabel = "VERSION", description = "The version, e.g. v1.34.2.")
  String version;

  @Option(
      names = "--etcd-upgrade",
      arity = "0..1",
      defaultValue = "true",
      fallbackValue = "true",
      description = "Include etcd's manifest (default: ${DEFAULT-VALUE}).")
  boolean etcdUpgrade = true;

  UpgradeDiffCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws Exception {
    var prepared =
        new UpgradeSession(context, Clock.systemUTC())
            .prepare(options, UpgradeSession.target(options, version), etcdUpgrade, true);
    var printer = new Printer(context.out());
    for (var change : prepared.components()) {
      if (change.changed()) {
        change.diff().forEach(printer::line);
      } else {
        printer.phase("upgrade/diff", "%s: unchanged", change.manifest());
      }
    }
    context.out().flush();
    return ExitCodes.OK;
  }
}
