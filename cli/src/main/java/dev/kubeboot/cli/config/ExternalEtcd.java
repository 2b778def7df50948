package dev.kubeboot.cli.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** {@code etcd.external}: an etcd cluster kubeboot does not run; no etcd certificates are made. */
public record ExternalEtcd(
    List<String> endpoints,
    Optional<String> caFile,
    Optional<String> certFile,
    Optional<String> keyFile)
    implements Etcd {
  public ExternalEtcd {
    endpoints = List.copyOf(endpoints);
    Objects.requireNonNull(caFile, "caFile");
    Objects.requireNonNull(certFile, "certFile");
    Objects.requireNonNull(keyFile, "keyFile");
  }
}
