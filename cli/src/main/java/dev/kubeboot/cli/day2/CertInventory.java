package dev.kubeboot.cli.day2;

import dev.kubeboot.cli.KubebootException;
import dev.kubeboot.cli.config.KubeadmConfig;
import dev.kubeboot.cli.init.ConfigMapping;
import dev.kubeboot.cli.init.KubeLayout;
import dev.kubeboot.cli.io.FileSink;
import dev.kubeboot.pki.KubeadmCert;
import dev.kubeboot.pki.KubeadmCerts;
import dev.kubeboot.pki.Pem;
import dev.kubeboot.pki.PkiException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * kubeadm's renewal manager as data: the leaf certificates of the certs table plus the client
 * certificates embedded in admin.conf, super-admin.conf, controller-manager.conf and scheduler.conf
 * (kubelet.conf is left to the kubelet's own rotation, as kubeadm does), and the CAs, each sorted
 * by name.
 */
final class CertInventory {
  /** Where a renewable certificate lives. */
  sealed interface Location permits PkiFile, KubeconfigFile {}

  record PkiFile(Path certificate, Path key) implements Location {}

  record KubeconfigFile(Path file) implements Location {}

  /** A certificate `certs renew` can re-issue. */
  record Renewable(String name, String longName, CertAuthority ca, Location location) {}

  /** A CA: its files and whether kubeadm treats it as externally managed when its key is absent. */
  record CertAuthority(String name, Path certificate, Path key, boolean externalWhenKeyless) {}

  private static final List<String[]> KUBECONFIGS =
      List.of(
          new String[] {
            "admin.conf",
            "certificate embedded in the kubeconfig file for the admin to use and for kubeadm itself"
          },
          new String[] {
            "super-admin.conf", "certificate embedded in the kubeconfig file for the super-admin"
          },
          new String[] {
            "controller-manager.conf",
            "certificate embedded in the kubeconfig file for the controller manager to use"
          },
          new String[] {
            "scheduler.conf",
            "certificate embedded in the kubeconfig file for the scheduler manager to use"
          });

  /** The static pods that read each certificate at start, so must restart to use a renewed one. */
  private static final Map<String, List<String>> READERS =
      Map.ofEntries(
          Map.entry("apiserver", List.of("kube-apiserver")),
          Map.entry("apiserver-kubelet-client", List.of("kube-apiserver")),
          Map.entry("front-proxy-client", List.of("kube-apiserver")),
          Map.entry("apiserver-etcd-client", List.of("kube-apiserver")),
          Map.entry("etcd-server", List.of("etcd")),
          Map.entry("etcd-peer", List.of("etcd")),
          Map.entry("controller-manager.conf", List.of("kube-controller-manager")),
          Map.entry("scheduler.conf", List.of("kube-scheduler")));

  private final List<Renewable> certificates;
  private final List<CertAuthority> authorities;

  private CertInventory(List<Renewable> certificates, List<CertAuthority> authorities) {
    this.certificates = List.copyOf(certificates);
    this.authorities = List.copyOf(authorities);
  }

  static CertInventory of(KubeadmConfig config, KubeLayout layout, Consumer<String> warnings) {
    List<KubeadmCert> table = KubeadmCerts.table(ConfigMapping.certInputs(config), warnings);
    var cas = new ArrayList<CertAuthority>();
    for (KubeadmCert row : table) {
      if (row.isCa()) {
        cas.add(
            new CertAuthority(
                row.name(),
                layout.cert(row.certificateFile()),
                layout.cert(row.keyFile()),
                !row.name().equals(KubeadmCerts.ETCD_CA)));
      }
    }
    var certs = new ArrayList<Renewable>();
    for (KubeadmCert row : table) {
      if (!row.isCa()) {
        CertAuthority ca =
            cas.stream().filter(c -> c.name().equals(row.caName())).findFirst().orElseThrow();
        certs.add(
            new Renewable(
                row.name(),
                row.longName(),
                ca,
                new PkiFile(layout.cert(row.certificateFile()), layout.cert(row.keyFile()))));
      }
    }
    CertAuthority clusterCa =
        cas.stream().filter(c -> c.name().equals(KubeadmCerts.CA)).findFirst().orElseThrow();
    for (String[] kubeconfig : KUBECONFIGS) {
      certs.add(
          new Renewable(
              kubeconfig[0],
              kubeconfig[1],
              clusterCa,
              new KubeconfigFile(layout.kubeconfig(kubeconfig[0]))));
    }
    certs.sort(Comparator.comparing(Renewable::name));
    cas.sort(Comparator.comparing(CertAuthority::name));
    return new CertInventory(certs, cas);
  }

  List<Renewable> certificates() {
    return certificates;
  }

  List<CertAuthority> authorities() {
    return authorities;
  }

  Optional<Renewable> certificate(String name) {
    return certificates.stream().filter(c -> c.name().equals(name)).findFirst();
  }

  static List<String> readers(String name) {
    return READERS.getOrDefault(name, List.of());
  }

  /** The certificate as it is on disk now; empty when its file is missing. */
  static Optional<X509Certificate> read(FileSink sink, Renewable cert)
      throws IOException, KubebootException {
    return switch (cert.location()) {
      case PkiFile pki -> readCertificate(sink, pki.certificate());
      case KubeconfigFile kubeconfig -> {
        Optional<byte[]> content = sink.read(kubeconfig.file());
        yield content.isEmpty()
            ? Optional.empty()
            : Optional.of(
                KubeconfigCredentials.parse(kubeconfig.file(), content.get()).certificate());
      }
    };
  }

  static Optional<X509Certificate> readCertificate(FileSink sink, Path file)
      throws IOException, KubebootException {
    return readPem(sink, file, Pem::decodeCertificate, "certificate", "restore it or remove it");
  }

  static Optional<PrivateKey> readKey(FileSink sink, Path file)
      throws IOException, KubebootException {
    return readPem(sink, file, Pem::decodePrivateKey, "private key", "restore it");
  }

  /** How one kind of PEM object is decoded. */
  private interface PemDecoder<T> {
    T decode(String pem) throws PkiException;
  }

  /** The PEM object in {@code file}; empty when there is no file, an error naming it if bad. */
  private static <T> Optional<T> readPem(
      FileSink sink, Path file, PemDecoder<T> decoder, String what, String remedy)
      throws IOException, KubebootException {
    Optional<byte[]> content = sink.read(file);
    if (content.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(decoder.decode(new String(content.get(), StandardCharsets.US_ASCII)));
    } catch (PkiException e) {
      throw new KubebootException(
          file + " is not a PEM " + what + " (" + e.getMessage() + "): " + remedy, e);
    }
  }

  /** kubeadm's rule: a CA whose certificate is present without its key is managed outside. */
  static boolean externallyManaged(FileSink sink, CertAuthority ca) throws IOException {
    return ca.externalWhenKeyless() && sink.exists(ca.certificate()) && !sink.exists(ca.key());
  }
}
