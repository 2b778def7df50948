package dev.kubeboot.cli.day2;

import dev.kubeboot.cli.CliContext;
import dev.kubeboot.cli.ExitCodes;
import dev.kubeboot.cli.KubebootException;
import dev.kubeboot.cli.UsageException;
import dev.kubeboot.cli.config.InitDefaultsPrinter;
import dev.kubeboot.cli.config.KubeadmConfig;
import dev.kubeboot.cli.init.InitOptions;
import dev.kubeboot.cli.io.AtomicFileSink;
import dev.kubeboot.cli.io.FileMode;
import dev.kubeboot.cli.options.RunnerOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * kubeadm config migrate: an older (v1beta3) or current file read, defaulted, converted and
 * validated, written back as the v1beta4 InitConfiguration and ClusterConfiguration kubeadm writes.
 */
@Command(
    name = "migrate",
    mixinStandardHelpOptions = true,
    description = {
      "Read an older version of the kubeadm configuration API types from a file, and output the"
          + " similar config object for the newer version.",
      "The file (kubeadm.k8s.io/v1beta3 or v1beta4) is read, defaulted, converted and validated as"
          + " 'kubeboot init --config' reads it, then written as kubeadm.k8s.io/v1beta4 to stdout or"
          + " --new-config: the InitConfiguration and ClusterConfiguration that init would use,"
          + " defaults included (a bootstrap token is generated when the file gives none, the node"
          + " name and advertise address come from this host). As kubeadm's, the output carries no"
          + " KubeletConfiguration or other component configuration."
    })
final class ConfigMigrateCommand implements Callable<Integer> {
  private final CliContext context;

  @Option(
      names = "--old-config",
      required = true,
      paramLabel = "FILE",
      description =
          "Path to the kubeadm config file that is using an old API version and should be"
              + " converted.")
  Path oldConfig;

  @Option(
      names = "--new-config",
      paramLabel = "FILE",
      description =
          "Path to the resulting equivalent kubeadm config file using the new API version"
              + " (written atomically, mode 0600: it holds the bootstrap token). Optional; stdout"
              + " when not given.")
  Path newConfig;

  ConfigMigrateCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws UsageException, KubebootException {
    KubeadmConfig config =
        CertsCommand.loadConfig(
            context, InitOptions.forNode(oldConfig, null, null, new RunnerOptions()));
    if (config.staticPodPath().isPresent() || config.fileCheckFrequency().isPresent()) {
      context
          .err()
          .println(
              "W "
                  + oldConfig
                  + ": the KubeletConfiguration document is not carried over (kubeadm config"
                  + " migrate migrates kubeadm's own documents only); copy it to the new file");
      context.err().flush();
    }
    String migrated = new InitDefaultsPrinter().printMigrated(config);
    if (newConfig == null) {
      context.out().print(migrated);
      context.out().flush();
      return ExitCodes.OK;
    }
    try {
      new AtomicFileSink()
          .write(
              newConfig.toAbsolutePath(),
              migrated.getBytes(StandardCharsets.UTF_8),
              FileMode.PRIVATE);
    } catch (IOException e) {
      throw new KubebootException(
          "failed to write the new configuration to the file \""
              + newConfig
              + "\": "
              + e.getMessage(),
          e);
    }
    return ExitCodes.OK;
  }
}
