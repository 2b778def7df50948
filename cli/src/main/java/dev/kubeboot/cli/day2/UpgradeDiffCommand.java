package dev.kubeboot.cli.day2;

import dev.kubeboot.cli.CliContext;
import dev.kubeboot.cli.ExitCodes;
import dev.kubeboot.cli.UsageException;
import dev.kubeboot.cli.config.UpgradeConfigReader;
import dev.kubeboot.cli.init.InitOptions;
import dev.kubeboot.cli.output.Printer;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** "upgrade diff": the manifest diffs of an upgrade, nothing else. */
@Command(
    name = "diff",
    mixinStandardHelpOptions = true,
    description = {
      "Show the changes an upgrade to VERSION makes to the static Pod manifests.",
      "--config reads kubeadm's UpgradeConfiguration (kubeadm.k8s.io/v1beta4) and uses its diff"
          + " section: diff.kubernetesVersion when VERSION is not given, and contextLines; a flag"
          + " given wins over the file."
    })
final class UpgradeDiffCommand implements Callable<Integer> {
  private final CliContext context;

  @Mixin InitOptions options;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "VERSION",
      description =
          "The version, e.g. v1.34.2 (default: diff.kubernetesVersion of the --config file).")
  String version;

  @Option(
      names = "--etcd-upgrade",
      arity = "0..1",
      defaultValue = "true",
      fallbackValue = "true",
      description = "Include etcd's manifest (default: ${DEFAULT-VALUE}).")
  boolean etcdUpgrade = true;

  @Option(
      names = {"-c", "--context-lines"},
      paramLabel = "N",
      description = "How many lines of context in the diff (default: 3, or diff.contextLines).")
  Integer contextLines;

  UpgradeDiffCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws Exception {
    UpgradeConfigReader.Reading file =
        UpgradeConfigSource.file(options, UpgradeConfigReader.Command.DIFF, context.err());
    var section = file.upgrade().diff();
    if (contextLines != null && contextLines < 0) {
      throw new UsageException("--context-lines: expected 0 or more lines, got " + contextLines);
    }
    int context =
        contextLines != null ? contextLines : section.contextLines().orElse(UnifiedDiff.CONTEXT);
    var target =
        UpgradeSession.target(
            options, version, section.kubernetesVersion(), "diff.kubernetesVersion");
    var prepared =
        new UpgradeSession(this.context, Clock.systemUTC(), file, Optional.empty())
            .prepare(options, target, etcdUpgrade, true);
    var printer = new Printer(this.context.out());
    for (var change : prepared.components()) {
      if (change.changed()) {
        change.diff(context).forEach(printer::line);
      } else {
        printer.phase("upgrade/diff", "%s: unchanged", change.manifest());
      }
    }
    this.context.out().flush();
    return ExitCodes.OK;
  }
}
