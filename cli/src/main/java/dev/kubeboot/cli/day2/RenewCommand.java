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
import dev.kubeboot.cli.options.RunnerOptions;
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
import picocli.CommandLine.Option;
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
          + " scheduler.conf.",
      "Afterwards the static Pods that read a renewed file (kube-apiserver, etcd, kube-controller-manager,"
          + " kube-scheduler) are restarted through the control socket of the runner serving this node's manifests,"
          + " when it answers on 127.0.0.1:--status-port; otherwise, or with --no-restart, the command says how to"
          + " restart them."
    })
final class RenewCommand implements Callable<Integer> {
  private final CliContext context;

  @Mixin NodeOptions node;

  @Parameters(
      index = "0",
      paramLabel = "NAME",
      description = "all, or one certificate name (see above).")
  String name;

  @Option(
      names = "--no-restart",
      description =
          "Do not restart the static Pods that use the renewed certificates; only say which must restart.")
  boolean noRestart;

  @Mixin RunnerOptions runner = new RunnerOptions();

  RenewCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws Exception {
    InitOptions options = node.initOptions(runner);
    KubeadmConfig config = CertsCommand.loadConfig(context, options);
    KubeLayout layout = options.layout(config);
    var warnings =
        (java.util.function.Consumer<String>)
            w -> {
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
                              "\""
                                  + name
                                  + "\" is not a certificate of this cluster: choose all or one of "
                                  + inventory.certificates().stream()
                                      .map(CertInventory.Renewable::name)
                                      .collect(Collectors.joining(", ")))));
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
    out.flush();
    if (!restart.isEmpty()) {
      try {
        new StaticPodRestarts(options.runnerClient(), layout, out, StaticPodRestarts.WAIT)
            .restart(List.copyOf(restart), !noRestart);
      } catch (KubebootException e) {
        failures.add(e.getMessage());
      }
    }
    out.flush();
    if (!failures.isEmpty()) {
      throw new KubebootException(String.join("\n", failures));
    }
    return ExitCodes.OK;
  }
}
