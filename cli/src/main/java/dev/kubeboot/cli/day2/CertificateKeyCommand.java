package dev.kubeboot.cli.day2;

import dev.kubeboot.cli.CliContext;
import dev.kubeboot.cli.ExitCodes;
import dev.kubeboot.cli.cluster.CertificateKey;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** "certs certificate-key": a new key for {@code init --upload-certs --certificate-key}. */
@Command(
    name = "certificate-key",
    mixinStandardHelpOptions = true,
    description = {
      "Generate a certificate key: 64 hex characters (32 random bytes) for the AES-256-GCM"
          + " encryption of the certificates uploaded with \"init phase upload-certs\".",
      "Keep it secret: with a bootstrap token it gives access to the cluster's CA keys for two"
          + " hours after the upload."
    })
final class CertificateKeyCommand implements Callable<Integer> {
  private final CliContext context;

  CertificateKeyCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    context.out().println(CertificateKey.generate(new SecureRandom()).hex());
    context.out().flush();
    return ExitCodes.OK;
  }
}
