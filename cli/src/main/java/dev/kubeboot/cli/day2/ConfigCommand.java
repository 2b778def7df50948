package dev.kubeboot.cli.day2;

import dev.kubeboot.cli.CliContext;
import dev.kubeboot.cli.ExitCodes;
import dev.kubeboot.cli.config.ActionDefaultsPrinter;
import dev.kubeboot.cli.config.InitConfigLoader;
import dev.kubeboot.cli.config.InitDefaultsPrinter;
import dev.kubeboot.cli.init.InitSession;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** "config": kubeadm's configuration commands: print defaults, validate, migrate, images. */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description =
        "Work with kubeadm configuration files: print the defaults, validate and migrate a file,"
            + " list and pull the images it names.")
public final class ConfigCommand implements Runnable {
  private final CliContext context;
  @Spec CommandSpec spec;

  ConfigCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public void run() {
    spec.commandLine().usage(context.out());
  }

  public static CommandLine commandLine(CliContext context) {
    var config = new CommandLine(new ConfigCommand(context));
    var print = new CommandLine(new Print(context));
    print.addSubcommand(
        "init-defaults",
        new CommandLine(
            new Defaults(
                context,
                () -> new InitDefaultsPrinter().print(InitConfigLoader.printedDefaults()))));
    print.addSubcommand(
        "join-defaults",
        new CommandLine(
            new Defaults(
                context, () -> ActionDefaultsPrinter.joinDefaults(InitSession.hostname()))));
    print.addSubcommand(
        "reset-defaults",
        new CommandLine(new Defaults(context, ActionDefaultsPrinter::resetDefaults)));
    print.addSubcommand(
        "upgrade-defaults",
        new CommandLine(new Defaults(context, ActionDefaultsPrinter::upgradeDefaults)));
    // picocli takes each command's name and description from its own annotation; the four
    // printers share one class, so say which is which here.
    describe(
        print,
        "init-defaults",
        "Print the default InitConfiguration and ClusterConfiguration (kubeadm.k8s.io/v1beta4) that"
            + " kubeboot init uses.",
        "Like kubeadm, it prints placeholders for the node name (node), the advertise address"
            + " (1.2.3.4), the bootstrap token and the CRI socket rather than this host's, and"
            + " kubeadm 1.34's own version (1.34.0).");
    describe(
        print,
        "join-defaults",
        "Print default join configuration, that can be used for 'kubeadm join'.",
        "Sensitive values such as the bootstrap token are the placeholder"
            + " abcdef.0123456789abcdef; the node name is this host's, as kubeadm prints it.");
    describe(
        print,
        "reset-defaults",
        "Print default reset configuration, that can be used for 'kubeadm reset'.");
    describe(
        print,
        "upgrade-defaults",
        "Print default upgrade configuration, that can be used for 'kubeadm upgrade'.");
    config.addSubcommand("print", print);
    config.addSubcommand("validate", new CommandLine(new ConfigValidateCommand(context)));
    config.addSubcommand("migrate", new CommandLine(new ConfigMigrateCommand(context)));
    config.addSubcommand("images", ImagesCommand.commandLine(context));
    return config;
  }

  private static void describe(CommandLine parent, String name, String... description) {
    parent.getSubcommands().get(name).getCommandSpec().usageMessage().description(description);
  }

  @Command(
      name = "print",
      mixinStandardHelpOptions = true,
      description = "Print the default configuration of a kubeadm command.")
  static final class Print implements Runnable {
    private final CliContext context;
    @Spec CommandSpec spec;

    Print(CliContext context) {
      this.context = context;
    }

    @Override
    public void run() {
      spec.commandLine().usage(context.out());
    }
  }

  /** One of kubeadm's {@code config print *-defaults}: a fixed document. */
  @Command(mixinStandardHelpOptions = true)
  static final class Defaults implements Callable<Integer> {
    private final CliContext context;
    private final Supplier<String> document;

    Defaults(CliContext context, Supplier<String> document) {
      this.context = context;
      this.document = document;
    }

    @Override
    public Integer call() {
      context.out().print(document.get());
      context.out().flush();
      return ExitCodes.OK;
    }
  }
}
