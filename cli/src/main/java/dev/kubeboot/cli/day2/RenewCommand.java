package dev.kubeboot.cli.day2;

import dev.kubeboot.cli.CliContext;
import dev.kubeboot.cli.ExitCodes;
import dev.kubeboot.cli.KubebootException;
import dev.kubeboot.cli.UsageException;
import dev.kubeboot.cli.config.KubeadmConfig;
import dev.kubeboot.cli.init.InitOptions;
import dev.kubeboot.cli.init.KubeLayout;
import dev.kubeboot.cli.io.AtomicFileSink;
import dev.kubeboot.cli.io.FileSink;
import dev.kubeboot.pki.CertificateIssuer;
import dev.kubeboot.pki.KeyAlgorithm;
import dev.kubeboot.pki.KeyPairs;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** kubeadm certs renew: re-issues leaf and kubeconfig client certificates from the existing CAs. */
@Command(
    name = "renew",
    mixinStandardHelpOptions = true,
    description = {
      "Renew certificates for a Kubernetes cluster.",
      "Each certificate is re-issued by its existing CA with its existing subject and SANs and a new key of the"
          + " cluster's encryptionAlgorithm, valid for certificateValidityPeriod; files are replaced atomically.",
      "Names: all, apiserver, apiserver-kubelet-client, front-proxy-client, etcd-server, etcd-peer,"
          + " etcd-healthcheck-client, apiserver-etcd-client, admin.conf, super-admin.conf, controller-manager.conf,"
          + " scheduler.conf."
    })
final class RenewCommand implements Callable<Integer> {
  private final CliContext context;

  @Mixin NodeOptions node;

  @Parameters(index = "0", paramLabel = "NAME", description = "all, or one certificate name (see above).")
  String name;

  RenewCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws Exception {
    InitOptions options = node.initOptions();
    KubeadmConfig config = CertsCommand.loadConfig(context, options);
    KubeLayout layout = options.layout(config);
    var warnings = (java.util.function.Consumer<String>) w -> {
      context.err().println("W " + w);
      context.err().flush();
    };
    var inventory = CertInventory.of(config, layout, w -> {});
    List<CertInventory.Renewable> chosen;
    if (name.equals("all")) {
      chosen = inventory.certificates();
    } else {
      chosen =
          List.of(
              inventory
                  .certificate(name)
                  .orElseThrow(
                      () ->
                          new UsageException(
                              "\"" + name + "\" is not a certificate of this cluster: choose all or one of "
                                  + inventory.certificates().stream().map(CertInventory.Renewable::name).collect(Collectors.joining(", ")))));
    }
    var random = new SecureRandom();
    FileSink sink = new AtomicFileSink();
    var renewal =
        new CertificateRenewal(
            sink,
            new CertificateIssuer(Clock.systemUTC().instant(), random),
            new KeyPairs(random),
            KeyAlgorithm.parse(config.cluster().encryptionAlgorithm().kubeadmName()),
            config.cluster().certificateValidityPeriod(),
            warnings);
    var out = context.out();
    var restart = new TreeSet<String>();
    var failures = new ArrayList<String>();
    for (var cert : chosen) {
      Optional<X509Certificate> current = CertInventory.read(sink, cert);
      if (current.isEmpty()) {
        out.println("MISSING! " + cert.longName());
        continue;
      }
      try {
        renewal.renew(cert, current.get());
      } catch (KubebootException e) {
        failures.add(e.getMessage());
        continue;
      }
      out.println(cert.longName() + " renewed");
      restart.addAll(CertInventory.readers(cert.name()));
    }
    if (!restart.isEmpty()) {
      printRestart(layout, restart);
    }
    out.flush();
    if (!failures.isEmpty()) {
      throw new KubebootException(String.join("\n", failures));
    }
    return ExitCodes.OK;
  }

  /**
   * The runner, like a kubelet, re-creates a static pod only when its manifest changes, and has no
   * endpoint to restart one; so this prints kubeadm's documented way instead of doing it.
   */
  private void printRestart(KubeLayout layout, Iterable<String> pods) {
    var out = context.out();
    out.println();
    out.println("Done renewing certificates. You must restart " + String.join(", ", pods) + ", so that they can use the new certificates.");
    out.println("kubeboot's runner re-creates a static Pod when its manifest goes away and comes back; for each of them run:");
    for (String pod : pods) {
      var manifest = layout.manifest(pod + ".yaml");
      var parked = layout.kubernetesDir().resolve(pod + ".yaml.restart");
      out.println("  mv " + manifest + " " + parked + " && sleep 20 && mv " + parked + " " + manifest);
    }
  }
}
