package dev.kubeboot.cli;

import dev.kubeboot.cli.config.ConfigDefaults;
import dev.kubeboot.cli.config.ConfigException;
import dev.kubeboot.cli.config.InitDefaultsPrinter;
import dev.kubeboot.cli.config.InitFlags;
import dev.kubeboot.cli.config.KubeadmConfig;
import java.net.InetAddress;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description = "Work with kubeadm configuration files.",
    subcommands = {ConfigCommand.Print.class})
final class ConfigCommand {
  @Command(
      name = "print",
      mixinStandardHelpOptions = true,
      description = "Print configuration.",
      subcommands = {ConfigCommand.InitDefaults.class})
  static final class Print {}

  @Command(
      name = "init-defaults",
      mixinStandardHelpOptions = true,
      description = {
        "Print the default InitConfiguration and ClusterConfiguration (kubeadm.k8s.io/v1beta4) that kubeboot init uses.",
        "Like kubeadm, it prints placeholders for the node name (node) and the advertise address (1.2.3.4) rather than this host's."
      })
  static final class InitDefaults implements Callable<Integer> {
    private final CliContext context;

    InitDefaults(CliContext context) {
      this.context = context;
    }

    @Override
    public Integer call() throws Exception {
      try {
        InetAddress placeholder = InetAddress.getByAddress(new byte[] {1, 2, 3, 4});
        var defaults = new ConfigDefaults(() -> "node", () -> placeholder);
        KubeadmConfig config = defaults.apply(KubeadmConfig.empty(), InitFlags.none());
        context.out().print(new InitDefaultsPrinter().print(config));
        context.out().flush();
        return ExitCodes.OK;
      } catch (ConfigException e) {
        throw new KubebootException(e.getMessage(), e);
      }
    }
  }
}
