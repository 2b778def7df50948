package dev.kubeboot.cli.day2;

import dev.kubeboot.cli.KubebootException;
import dev.kubeboot.cli.config.LocalEtcd;
import dev.kubeboot.cli.io.FileSink;
import dev.kubeboot.cli.output.Printer;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The certificates an upgrade renews with each component, as kubeadm's renewCertsByComponent: a
 * component's certificates just before its new manifest goes live, admin.conf at the end.
 */
final class UpgradeCertificates {
  /** admin.conf: renewed once the control plane is upgraded. */
  static final String ADMIN = "admin.conf";

  private final CertInventory inventory;
  private final FileSink sink;
  private final CertificateRenewal renewal;
  private final boolean localEtcd;

  UpgradeCertificates(
      CertInventory inventory, FileSink sink, CertificateRenewal renewal, boolean localEtcd) {
    this.inventory = inventory;
    this.sink = sink;
    this.renewal = renewal;
    this.localEtcd = localEtcd;
  }

  static boolean isLocal(dev.kubeboot.cli.config.KubeadmConfig config) {
    return config.cluster().etcd() instanceof LocalEtcd;
  }

  /** The certificate names renewed with {@code component}, in kubeadm's order. */
  static List<String> of(ManifestComponent component, boolean localEtcd) {
    return switch (component) {
      case ETCD -> List.of("etcd-server", "etcd-peer", "etcd-healthcheck-client");
      case KUBE_APISERVER -> {
        var names =
            new ArrayList<>(List.of("apiserver", "apiserver-kubelet-client", "front-proxy-client"));
        if (localEtcd) {
          names.add("apiserver-etcd-client");
        }
        yield List.copyOf(names);
      }
      case KUBE_CONTROLLER_MANAGER -> List.of("controller-manager.conf");
      case KUBE_SCHEDULER -> List.of("scheduler.conf");
    };
  }

  /** The named certificates of {@code inventory} that can be renewed on this node. */
  static List<CertInventory.Renewable> renewable(
      CertInventory inventory, FileSink sink, List<String> names) throws IOException {
    var found = new ArrayList<CertInventory.Renewable>();
    for (String name : names) {
      Optional<CertInventory.Renewable> cert = inventory.certificate(name);
      if (cert.isPresent() && !CertInventory.externallyManaged(sink, cert.get().ca())) {
        found.add(cert.get());
      }
    }
    return found;
  }

  /** Renews the certificates with {@code component}, printing each. */
  void renew(ManifestComponent component, Printer printer) throws Exception {
    renew(of(component, localEtcd), printer);
  }

  /** Renews the named certificates that exist; an external CA's are left alone with a note. */
  void renew(List<String> names, Printer printer) throws Exception {
    for (String name : names) {
      Optional<CertInventory.Renewable> cert = inventory.certificate(name);
      if (cert.isEmpty()) {
        continue;
      }
      if (CertInventory.externallyManaged(sink, cert.get().ca())) {
        printer.phase(
            "upgrade/staticpods",
            "Not renewing %s: the %s CA key is not on this node (external CA)",
            name,
            cert.get().ca().name());
        continue;
      }
      Optional<X509Certificate> current = CertInventory.read(sink, cert.get());
      if (current.isEmpty()) {
        throw new KubebootException(
            "cannot renew "
                + name
                + ": it is missing; create it with kubeboot init phase certs (or kubeconfig), or"
                + " pass --certificate-renewal=false");
      }
      printer.phase("upgrade/staticpods", "Renewing %s certificate", name);
      renewal.renew(cert.get(), current.get());
    }
  }
}
