package dev.kubeboot.cli.day2;

import dev.kubeboot.cli.CliContext;
import dev.kubeboot.cli.ExitCodes;
import dev.kubeboot.cli.KubebootException;
import dev.kubeboot.cli.config.KubeadmConfig;
import dev.kubeboot.cli.init.ConfigMapping;
import dev.kubeboot.cli.init.InitOptions;
import dev.kubeboot.cli.init.KubeLayout;
import dev.kubeboot.cli.init.KubeconfigFiles;
import dev.kubeboot.cli.io.AtomicFileSink;
import dev.kubeboot.cli.io.FileMode;
import dev.kubeboot.cli.io.FileSink;
import dev.kubeboot.pki.CertificateRequests;
import dev.kubeboot.pki.CertificateSpec;
import dev.kubeboot.pki.KeyAlgorithm;
import dev.kubeboot.pki.KeyPairs;
import dev.kubeboot.pki.KubeadmCert;
import dev.kubeboot.pki.KubeadmCerts;
import dev.kubeboot.pki.Pem;
import dev.kubeboot.templates.KubeconfigModel;
import dev.kubeboot.templates.KubeconfigRenderer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * kubeadm certs generate-csr: for an external CA, a private key and a certificate signing request
 * for every leaf certificate of kubeadm's table, and for every kubeconfig a file holding only its
 * client key, with the request beside it ({@code admin.conf.csr}). Every target is checked before
 * anything is written: an existing key, request or kubeconfig stops the command untouched.
 */
@Command(
    name = "generate-csr",
    mixinStandardHelpOptions = true,
    description = {
      "Generate keys and certificate signing requests.",
      "Generates keys and certificate signing requests (CSRs) for all the certificates required to"
          + " run the control plane. This command also generates partial kubeconfig files with"
          + " private key data in the \"users > user > client-key-data\" field, and for each"
          + " kubeconfig file an accompanying \".csr\" file is created.",
      "This command is designed for use in kubeadm's external CA mode: have the CSRs signed by your"
          + " CA, place the certificates next to the keys (and into the kubeconfigs), then run"
          + " init. Existing keys, CSRs and kubeconfigs are never replaced: the command stops"
          + " before writing anything."
    })
final class GenerateCsrCommand implements Callable<Integer> {
  private final CliContext context;

  @Mixin NodeOptions node;

  @Option(
      names = "--kubeconfig-dir",
      paramLabel = "DIR",
      description =
          "The path where to save the kubeconfig files (default: --kubernetes-dir, else"
              + " /etc/kubernetes).")
  Path kubeconfigDir;

  GenerateCsrCommand(CliContext context) {
    this.context = context;
  }

  /** One key and request to write. */
  private record Request(String name, Path key, Path csr, CertificateSpec spec) {}

  @Override
  public Integer call() throws Exception {
    InitOptions options = node.initOptions();
    KubeadmConfig config = CertsCommand.loadConfig(context, options);
    KubeLayout layout = options.layout(config);
    Path kubeconfigs =
        kubeconfigDir != null ? kubeconfigDir.toAbsolutePath().normalize() : layout.kubeconfigDir();
    PrintWriter err = context.err();
    List<Request> certificates = new ArrayList<>();
    for (KubeadmCert cert :
        KubeadmCerts.table(ConfigMapping.certInputs(config), w -> err.println("W " + w))) {
      if (!cert.isCa()) {
        certificates.add(
            new Request(
                cert.baseName(),
                layout.cert(cert.keyFile()),
                layout.cert(cert.baseName() + ".csr"),
                cert.spec()));
      }
    }
    List<KubeconfigFiles.Entry> files = KubeconfigFiles.of(config);
    FileSink sink = new AtomicFileSink();
    refuseExisting(sink, certificates, files, kubeconfigs);

    var random = new SecureRandom();
    List<KeyPair> keys =
        new KeyPairs(random)
            .generateAll(
                KeyAlgorithm.parse(config.cluster().encryptionAlgorithm().kubeadmName()),
                certificates.size() + files.size());
    var out = context.out();
    out.println("generating keys and CSRs in " + layout.certDir());
    for (int i = 0; i < certificates.size(); i++) {
      Request request = certificates.get(i);
      write(sink, request.key(), request.csr(), request.spec(), keys.get(i));
      out.println("  " + request.name());
    }
    out.println("generating keys and CSRs in " + kubeconfigs);
    var renderer = new KubeconfigRenderer();
    for (int i = 0; i < files.size(); i++) {
      KubeconfigFiles.Entry file = files.get(i);
      KeyPair key = keys.get(certificates.size() + i);
      String keyOnly =
          renderer.render(
              new KubeconfigModel(
                  config.cluster().clusterName(),
                  file.server(),
                  "",
                  file.commonName(),
                  "",
                  Base64.getEncoder()
                      .encodeToString(
                          Pem.encode(key.getPrivate()).getBytes(StandardCharsets.US_ASCII))));
      sink.write(
          kubeconfigs.resolve(file.fileName()),
          keyOnly.getBytes(StandardCharsets.UTF_8),
          FileMode.PRIVATE);
      sink.write(
          kubeconfigs.resolve(file.fileName() + ".csr"),
          CertificateRequests.create(
                  CertificateSpec.client(file.commonName(), file.organizations()), key)
              .getBytes(StandardCharsets.US_ASCII),
          FileMode.PUBLIC);
      out.println("  " + file.fileName());
    }
    out.flush();
    return ExitCodes.OK;
  }

  /** The key first: a request on disk always has its key. */
  private static void write(FileSink sink, Path key, Path csr, CertificateSpec spec, KeyPair keys)
      throws IOException {
    sink.write(
        key, Pem.encode(keys.getPrivate()).getBytes(StandardCharsets.US_ASCII), FileMode.PRIVATE);
    sink.write(
        csr,
        CertificateRequests.create(spec, keys).getBytes(StandardCharsets.US_ASCII),
        FileMode.PUBLIC);
  }

  /** kubeadm's "file already exists", for every file at once and before anything is written. */
  private static void refuseExisting(
      FileSink sink,
      List<Request> certificates,
      List<KubeconfigFiles.Entry> files,
      Path kubeconfigs)
      throws IOException, KubebootException {
    List<Path> existing = new ArrayList<>();
    for (Request request : certificates) {
      for (Path path : List.of(request.key(), request.csr())) {
        if (sink.exists(path)) {
          existing.add(path);
        }
      }
    }
    for (KubeconfigFiles.Entry file : files) {
      for (Path path :
          List.of(
              kubeconfigs.resolve(file.fileName()),
              kubeconfigs.resolve(file.fileName() + ".csr"))) {
        if (sink.exists(path)) {
          existing.add(path);
        }
      }
    }
    if (!existing.isEmpty()) {
      throw new KubebootException(
          "file already exists: "
              + existing.stream().map(Path::toString).reduce((a, b) -> a + ", " + b).orElseThrow()
              + "; nothing was written. Remove them, or choose other directories with --cert-dir"
              + " and --kubeconfig-dir");
    }
  }
}
