package dev.kubeboot.cli.day2;

import dev.kubeboot.cli.CliContext;
import dev.kubeboot.cli.config.KubeadmConfig;
import dev.kubeboot.cli.init.InitOptions;
import dev.kubeboot.cli.init.InitSession;
import dev.kubeboot.cli.init.RunnerControls;
import java.time.Clock;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** "certs": kubeadm's certificate day-2 commands. */
@Command(
    name = "certs",
    mixinStandardHelpOptions = true,
    description = "Commands related to handling kubernetes certificates")
public final class CertsCommand implements Runnable {
  private final CliContext context;
  @Spec CommandSpec spec;

  CertsCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public void run() {
    spec.commandLine().usage(context.out());
  }

  public static CommandLine commandLine(CliContext context) {
    var factory = new CommandLine(new CertsCommand(context));
    factory.addSubcommand("check-expiration", new CommandLine(new CheckExpirationCommand(context)));
    factory.addSubcommand("renew", new CommandLine(new RenewCommand(context)));
    factory.addSubcommand("certificate-key", new CommandLine(new CertificateKeyCommand(context)));
    factory.addSubcommand("generate-csr", new CommandLine(new GenerateCsrCommand(context)));
    return factory;
  }

  /** The node's configuration: --config with the flags applied, kubeadm's defaults for the rest. */
  static KubeadmConfig loadConfig(CliContext context, InitOptions options)
      throws dev.kubeboot.cli.UsageException {
    return new InitSession(
            context.out(),
            context.err(),
            Clock.systemUTC(),
            System.getenv(),
            RunnerControls::create)
        .loadConfig(options);
  }
}
