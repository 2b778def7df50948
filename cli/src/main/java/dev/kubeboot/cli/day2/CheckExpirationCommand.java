package dev.kubeboot.cli.day2;

import dev.kubeboot.cli.CliContext;
import dev.kubeboot.cli.ExitCodes;
import dev.kubeboot.cli.config.KubeadmConfig;
import dev.kubeboot.cli.init.InitOptions;
import dev.kubeboot.cli.init.KubeLayout;
import dev.kubeboot.cli.io.AtomicFileSink;
import dev.kubeboot.cli.io.FileSink;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * kubeadm certs check-expiration: the expiry of every certificate kubeadm manages, then the CAs.
 */
@Command(
    name = "check-expiration",
    mixinStandardHelpOptions = true,
    description = {
      "Check certificates expiration for a Kubernetes cluster.",
      "Lists the leaf certificates, the client certificates embedded in admin.conf, super-admin.conf,"
          + " controller-manager.conf and scheduler.conf, then the certificate authorities. kubelet.conf is"
          + " left out, as kubeadm does: the kubelet rotates its own client certificate."
    })
final class CheckExpirationCommand implements Callable<Integer> {
  enum Format {
    table,
    json,
    yaml
  }

  private final CliContext context;
  private final Clock clock;

  @Mixin NodeOptions node;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
      defaultValue = "table")
  Format output;

  CheckExpirationCommand(CliContext context) {
    this(context, Clock.systemUTC());
  }

  CheckExpirationCommand(CliContext context, Clock clock) {
    this.context = context;
    this.clock = clock;
  }

  @Override
  public Integer call() throws Exception {
    InitOptions options = node.initOptions();
    KubeadmConfig config = CertsCommand.loadConfig(context, options);
    KubeLayout layout = options.layout(config);
    var inventory = CertInventory.of(config, layout, w -> {});
    FileSink sink = new AtomicFileSink();
    var certificates = new ArrayList<ExpirationReport.Row>();
    for (var cert : inventory.certificates()) {
      Optional<X509Certificate> found = CertInventory.read(sink, cert);
      certificates.add(
          new ExpirationReport.Row(
              cert.name(),
              found.map(c -> c.getNotAfter().toInstant()),
              cert.ca().name(),
              CertInventory.externallyManaged(sink, cert.ca())));
    }
    var authorities = new ArrayList<ExpirationReport.Row>();
    for (var ca : inventory.authorities()) {
      Optional<X509Certificate> found = CertInventory.readCertificate(sink, ca.certificate());
      authorities.add(
          new ExpirationReport.Row(
              ca.name(),
              found.map(c -> c.getNotAfter().toInstant()),
              null,
              CertInventory.externallyManaged(sink, ca)));
    }
    var report = new ExpirationReport(certificates, authorities);
    Instant now = clock.instant();
    context
        .out()
        .print(
            switch (output) {
              case table -> report.table(now);
              case json -> report.json(now);
              case yaml -> report.yaml(now);
            });
    context.out().flush();
    return ExitCodes.OK;
  }
}
