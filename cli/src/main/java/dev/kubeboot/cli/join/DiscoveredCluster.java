package dev.kubeboot.cli.join;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * What discovery established: the API server to talk to and the CA certificates to trust for it.
 *
 * @param server the {@code https://host:port} URL of the cluster-info kubeconfig
 * @param caPem the CA certificates, PEM
 * @param caCertificates the same, decoded
 */
public record DiscoveredCluster(String server, String caPem, List<X509Certificate> caCertificates) {
  public DiscoveredCluster {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(caPem, "caPem");
    caCertificates = List.copyOf(caCertificates);
  }
}
