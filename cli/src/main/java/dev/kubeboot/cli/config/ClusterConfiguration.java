package dev.kubeboot.cli.config;

import dev.kubeboot.templates.KubernetesVersion;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * kubeadm's {@code ClusterConfiguration} (v1beta4; v1beta3 is converted when read). Fields kubeadm
 * defaults are null as read when unset and filled by {@link StaticDefaults}; fields that stay
 * optional after defaulting are {@code Optional}. {@code featureGates} is sorted by name.
 *
 * @param kubernetesVersion parsed once where it was read or given
 */
public record ClusterConfiguration(
    Etcd etcd,
    Networking networking,
    KubernetesVersion kubernetesVersion,
    Optional<HostPort> controlPlaneEndpoint,
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

  /** A builder seeded with these values, for the defaulting functions. */
  Builder toBuilder() {
    return new Builder(this);
  }

  /** Copies a configuration with some fields replaced. */
  static final class Builder {
    Etcd etcd;
    Networking networking;
    KubernetesVersion kubernetesVersion;
    Optional<HostPort> controlPlaneEndpoint;
    ApiServer apiServer;
    ControlPlaneComponent controllerManager;
    ControlPlaneComponent scheduler;
    Dns dns;
    Proxy proxy;
    String certificatesDir;
    String imageRepository;
    Map<String, Boolean> featureGates;
    String clusterName;
    EncryptionAlgorithm encryptionAlgorithm;
    Duration certificateValidityPeriod;
    Duration caCertificateValidityPeriod;

    private Builder(ClusterConfiguration c) {
      etcd = c.etcd;
      networking = c.networking;
      kubernetesVersion = c.kubernetesVersion;
      controlPlaneEndpoint = c.controlPlaneEndpoint;
      apiServer = c.apiServer;
      controllerManager = c.controllerManager;
      scheduler = c.scheduler;
      dns = c.dns;
      proxy = c.proxy;
      certificatesDir = c.certificatesDir;
      imageRepository = c.imageRepository;
      featureGates = c.featureGates;
      clusterName = c.clusterName;
      encryptionAlgorithm = c.encryptionAlgorithm;
      certificateValidityPeriod = c.certificateValidityPeriod;
      caCertificateValidityPeriod = c.caCertificateValidityPeriod;
    }

    ClusterConfiguration build() {
      return new ClusterConfiguration(
          etcd,
          networking,
          kubernetesVersion,
          controlPlaneEndpoint,
          apiServer,
          controllerManager,
          scheduler,
          dns,
          proxy,
          certificatesDir,
          imageRepository,
          featureGates,
          clusterName,
          encryptionAlgorithm,
          certificateValidityPeriod,
          caCertificateValidityPeriod);
    }
  }
}
