package dev.kubeboot.cli.day2;

import dev.kubeboot.cli.CliContext;
import dev.kubeboot.cli.ExitCodes;
import dev.kubeboot.cli.KubebootException;
import dev.kubeboot.cli.UsageException;
import dev.kubeboot.cli.config.KubeadmConfig;
import dev.kubeboot.cli.init.InitOptions;
import dev.kubeboot.cli.init.KubeLayout;
import dev.kubeboot.cli.init.KubeconfigFiles;
import dev.kubeboot.cli.io.AtomicFileSink;
import dev.kubeboot.cli.io.FileSink;
import dev.kubeboot.pki.CertificateAuthority;
import dev.kubeboot.pki.CertificateIssuer;
import dev.kubeboot.pki.CertificateSpec;
import dev.kubeboot.pki.KeyAlgorithm;
import dev.kubeboot.pki.KeyPairs;
import dev.kubeboot.pki.Pem;
import dev.kubeboot.runner.manifest.GoDuration;
import dev.kubeboot.templates.KubeconfigModel;
import dev.kubeboot.templates.KubeconfigRenderer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** "kubeconfig": kubeadm's kubeconfig file utilities. */
@Command(
    name = "kubeconfig",
    mixinStandardHelpOptions = true,
    description = "Kubeconfig file utilities.")
public final class KubeconfigCommand implements Runnable {
  /** kubeadm's CertificateValidityPeriod, the default of --validity-period. */
  static final Duration DEFAULT_VALIDITY = Duration.ofHours(8760);

  private final CliContext context;
  @Spec CommandSpec spec;

  KubeconfigCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public void run() {
    spec.commandLine().usage(context.out());
  }

  public static CommandLine commandLine(CliContext context) {
    var kubeconfig = new CommandLine(new KubeconfigCommand(context));
    kubeconfig.addSubcommand("user", new CommandLine(new User(context, Clock.systemUTC())));
    return kubeconfig;
  }

  /**
   * kubeadm kubeconfig user: a kubeconfig for an additional user on stdout, its client certificate
   * (CN the client name, O the organizations) signed by the cluster CA, pointing at the
   * control-plane endpoint.
   */
  @Command(
      name = "user",
      mixinStandardHelpOptions = true,
      description = {
        "Output a kubeconfig file for an additional user.",
        "The client certificate is signed by the cluster CA (certificatesDir/ca.crt and ca.key) with"
            + " the --client-name as CN and each --org as O, from now for --validity-period; the"
            + " kubeconfig points at the control-plane endpoint (else this node's advertise address"
            + " and bind port) and is written to stdout, for example:",
        "  kubeboot kubeconfig user --client-name=foo --org=developers > foo.conf"
      })
  static final class User implements Callable<Integer> {
    private final CliContext context;
    private final Clock clock;

    @Mixin NodeOptions node;

    @Option(
        names = "--client-name",
        required = true,
        paramLabel = "NAME",
        description = "The name of the user. It will be used as the CN of the client certificate.")
    String clientName;

    @Option(
        names = "--org",
        split = ",",
        paramLabel = "ORG",
        description =
            "The organizations of the client certificate. They will be used as the O of the client"
                + " certificate (repeat the flag or separate by commas).")
    List<String> organizations = new ArrayList<>();

    @Option(
        names = "--validity-period",
        paramLabel = "DURATION",
        description =
            "The validity period of the client certificate, from now, as a Go duration (default"
                + " 8760h0m0s).")
    String validityPeriod;

    User(CliContext context, Clock clock) {
      this.context = context;
      this.clock = clock;
    }

    @Override
    public Integer call() throws Exception {
      if (clientName.isBlank()) {
        throw new UsageException(
            "--client-name is empty: give the user's name, e.g. --client-name=foo");
      }
      Duration validity = validity();
      if (validity.compareTo(DEFAULT_VALIDITY) > 0) {
        context
            .err()
            .println(
                "W the specified certificate validity period "
                    + GoDuration.format(validity)
                    + " is longer than the default duration "
                    + GoDuration.format(DEFAULT_VALIDITY)
                    + ", this may increase security risks.");
        context.err().flush();
      }
      InitOptions options = node.initOptions();
      KubeadmConfig config = CertsCommand.loadConfig(context, options);
      KubeLayout layout = options.layout(config);
      FileSink sink = new AtomicFileSink();
      Path caFile = layout.cert("ca.crt");
      Path caKeyFile = layout.cert("ca.key");
      X509Certificate ca =
          CertInventory.readCertificate(sink, caFile).orElseThrow(() -> noCa(caFile));
      PrivateKey caKey = CertInventory.readKey(sink, caKeyFile).orElseThrow(() -> noCa(caKeyFile));
      var random = new SecureRandom();
      KeyPair keys =
          new KeyPairs(random)
              .generate(KeyAlgorithm.parse(config.cluster().encryptionAlgorithm().kubeadmName()));
      X509Certificate client =
          new CertificateIssuer(clock.instant(), random)
              .issue(
                  CertificateSpec.client(clientName, organizations),
                  keys.getPublic(),
                  new CertificateAuthority(ca, caKey),
                  validity,
                  ca.getNotBefore().toInstant());
      context
          .out()
          .print(
              new KubeconfigRenderer()
                  .render(
                      new KubeconfigModel(
                          config.cluster().clusterName(),
                          KubeconfigFiles.controlPlaneServer(config),
                          base64(Pem.encode(ca)),
                          clientName,
                          base64(Pem.encode(client)),
                          base64(Pem.encode(keys.getPrivate())))));
      context.out().flush();
      return ExitCodes.OK;
    }

    private Duration validity() throws UsageException {
      if (validityPeriod == null) {
        return DEFAULT_VALIDITY;
      }
      return GoDuration.parse(validityPeriod)
          .filter(d -> d.isPositive())
          .orElseThrow(
              () ->
                  new UsageException(
                      "--validity-period "
                          + validityPeriod
                          + ": not a positive duration; write it as Go does, e.g. 720h or 8760h0m0s"));
    }

    private static KubebootException noCa(Path file) {
      return new KubebootException(
          "couldn't create a kubeconfig; the CA files couldn't be loaded: "
              + file
              + " is missing. Run this on a control-plane node (or give --cert-dir or --config with"
              + " its certificatesDir)");
    }

    private static String base64(String pem) {
      return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
    }
  }
}
