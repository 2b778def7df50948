package dev.kubeboot.cli.config;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * kubeadm's {@code ClusterConfiguration}. Fields kubeadm defaults are null as read when unset and
 * filled by {@link ConfigDefaults}; fields that stay optional after defaulting are {@code
 * Optional}. {@code featureGates} is sorted by name.
 */
public record ClusterConfiguration(
    Etcd etcd,
    Networking networking,
    String kubernetesVersion,
    Optional<String> controlPlaneEndpoint,
    ApiServer apiServer,
    ControlPlaneComponent controllerManager,
    ControlPlaneComponent scheduler,
    Dns dns,
    Proxy proxy,
    String certificatesDir,
    String imageRepository,
    Map<String, Boolean> featureGates,
    String clusterName,
    EncryptionAlgorithm encryptionAlgorithm,
    Duration certificateValidityPeriod,
    Duration caCertificateValidityPeriod) {
  public ClusterConfiguration {
    Objects.requireNonNull(etcd, "etcd");
    Objects.requireNonNull(networking, "networking");
    Objects.requireNonNull(controlPlaneEndpoint, "controlPlaneEndpoint");
    Objects.requireNonNull(apiServer, "apiServer");
    Objects.requireNonNull(controllerManager, "controllerManager");
    Objects.requireNonNull(scheduler, "scheduler");
    Objects.requireNonNull(dns, "dns");
    Objects.requireNonNull(proxy, "proxy");
    featureGates = Collections.unmodifiableMap(new TreeMap<>(featureGates));
  }

  static ClusterConfiguration unset() {
    return new ClusterConfiguration(
        LocalEtcd.unset(),
        Networking.unset(),
        null,
        Optional.empty(),
        ApiServer.empty(),
        ControlPlaneComponent.empty(),
        ControlPlaneComponent.empty(),
        Dns.empty(),
        new Proxy(false),
        null,
        null,
        Map.of(),
        null,
        null,
        null,
        null);
  }
}
