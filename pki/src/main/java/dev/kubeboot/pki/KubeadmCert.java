package dev.kubeboot.pki;

import java.util.Objects;

/**
 * One row of kubeadm's certificate table.
 *
 * @param name kubeadm's phase name, e.g. "etcd-server" ({@code init phase certs etcd-server})
 * @param baseName file name without extension relative to certificatesDir, e.g. "etcd/server"
 * @param caName the {@link #name} of the signing CA, or null for a self-signed CA
 * @param longName kubeadm's description, e.g. "certificate for serving the Kubernetes API"
 * @param spec subject, usages and SANs; a CA's spec has its one DNS SAN and no usages
 */
public record KubeadmCert(
    String name, String baseName, String caName, String longName, CertificateSpec spec) {

  public KubeadmCert {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(baseName, "baseName");
    Objects.requireNonNull(longName, "longName");
    Objects.requireNonNull(spec, "spec");
  }

  public boolean isCa() {
    return caName == null;
  }

  public String certificateFile() {
    return baseName + ".crt";
  }

  public String keyFile() {
    return baseName + ".key";
  }
}
