package dev.kubeboot.templates;

import java.util.List;

/**
 * kubeadm's {@code etcd.external}: the API server talks to these endpoints; no etcd pod is made.
 *
 * @param caFile empty when not set
 * @param certFile empty when not set
 * @param keyFile empty when not set
 */
public record ExternalEtcd(List<String> endpoints, String caFile, String certFile, String keyFile)
    implements Etcd {
  public ExternalEtcd {
    endpoints = List.copyOf(endpoints);
    if (endpoints.isEmpty()) {
      throw new InvalidInputException(
          "etcd.external.endpoints",
          "[]",
          "list at least one etcd client URL, e.g. https://10.0.0.5:2379");
    }
    caFile = caFile == null ? "" : caFile;
    certFile = certFile == null ? "" : certFile;
    keyFile = keyFile == null ? "" : keyFile;
  }
}
