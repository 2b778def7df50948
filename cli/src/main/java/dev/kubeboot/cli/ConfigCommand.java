package dev.kubeboot.cli;

import dev.kubeboot.cli.config.InitConfigLoader;
import dev.kubeboot.cli.config.InitDefaultsPrinter;
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
        "Like kubeadm, it prints placeholders for the node name (node), the advertise address (1.2.3.4), the bootstrap token and the CRI socket rather than this host's, and kubeadm 1.34's own version (1.34.0)."
      })
  static final class InitDefaults implements Callable<Integer> {
    private final CliContext context;

    InitDefaults(CliContext context) {
      this.context = context;
    }

    @Override
    public Integer call() {
      context.out().print(new InitDefaultsPrinter().print(InitConfigLoader.printedDefaults()));
      context.out().flush();
      return ExitCodes.OK;
    }
  }
}
