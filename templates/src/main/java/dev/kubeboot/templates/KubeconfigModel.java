package dev.kubeboot.templates;

import java.util.Objects;

/**
 * One kubeconfig file as kubeadm writes it: a cluster entry named clusterName, a user named by its
 * certificate's CN, and the context {@code <user>@<cluster>}. Data fields are base64 of the PEM; an
 * empty CA or client certificate is left out of the file, as kubeadm leaves out empty data (the
 * key-only kubeconfig files of {@code certs generate-csr}, whose certificate comes later).
 */
public record KubeconfigModel(
    String clusterName,
    String server,
    String certificateAuthorityData,
    String userName,
    String clientCertificateData,
    String clientKeyData) {

  public KubeconfigModel {
    Objects.requireNonNull(clusterName, "clusterName");
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(certificateAuthorityData, "certificateAuthorityData");
    Objects.requireNonNull(userName, "userName");
    Objects.requireNonNull(clientCertificateData, "clientCertificateData");
    Objects.requireNonNull(clientKeyData, "clientKeyData");
  }

  /** kubeadm's context name, also the current-context. */
  public String contextName() {
    return userName + "@" + clusterName;
  }

  /** Keeps key material out of logs and exception messages. */
  @Override
  public String toString() {
    return "KubeconfigModel[cluster="
        + clusterName
        + ", server="
        + server
        + ", user="
        + userName
        + "]";
  }
}
