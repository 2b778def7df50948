package dev.kubeboot.cli.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * kubeadm's {@code JoinConfiguration} (v1beta4; v1beta3 is converted when read): how this node
 * finds the cluster and what it is in it. Fields kubeadm defaults are unset as read.
 *
 * @param caCertPath the file the cluster CA would be written to for a worker (unused: kubeboot
 *     joins control-plane nodes, which get the whole pki)
 * @param controlPlane present when this node joins the control plane
 */
public record JoinConfiguration(
    NodeRegistration nodeRegistration,
    Optional<String> caCertPath,
    Discovery discovery,
    Optional<ControlPlane> controlPlane,
    List<String> skipPhases,
    boolean dryRun,
    Timeouts timeouts) {
  public JoinConfiguration {
    Objects.requireNonNull(nodeRegistration, "nodeRegistration");
    Objects.requireNonNull(caCertPath, "caCertPath");
    Objects.requireNonNull(discovery, "discovery");
    Objects.requireNonNull(controlPlane, "controlPlane");
    skipPhases = List.copyOf(skipPhases);
    Objects.requireNonNull(timeouts, "timeouts");
  }

  /**
   * {@code discovery}: a bootstrap token and the API server to ask, or a kubeconfig file.
   *
   * @param timeout v1beta3's {@code discovery.timeout} (v1beta4 keeps it in {@code
   *     timeouts.discovery})
   */
  public record Discovery(
      Optional<String> token,
      Optional<String> apiServerEndpoint,
      List<String> caCertHashes,
      boolean unsafeSkipCaVerification,
      Optional<String> file,
      Optional<String> tlsBootstrapToken,
      Optional<Duration> timeout) {
    public Discovery {
      Objects.requireNonNull(token, "token");
      Objects.requireNonNull(apiServerEndpoint, "apiServerEndpoint");
      caCertHashes = List.copyOf(caCertHashes);
      Objects.requireNonNull(file, "file");
      Objects.requireNonNull(tlsBootstrapToken, "tlsBootstrapToken");
      Objects.requireNonNull(timeout, "timeout");
    }

    static Discovery unset() {
      return new Discovery(
          Optional.empty(),
          Optional.empty(),
          List.of(),
          false,
          Optional.empty(),
          Optional.empty(),
          Optional.empty());
    }
  }

  /** {@code controlPlane}: where this node's API server listens and the certificate key. */
  public record ControlPlane(ApiEndpoint localAPIEndpoint, Optional<String> certificateKey) {
    public ControlPlane {
      Objects.requireNonNull(localAPIEndpoint, "localAPIEndpoint");
      Objects.requireNonNull(certificateKey, "certificateKey");
    }
  }

  /** {@code kubeboot join} without {@code --config}: nothing set. */
  public static JoinConfiguration unset() {
    return new JoinConfiguration(
        NodeRegistration.unset(),
        Optional.empty(),
        Discovery.unset(),
        Optional.empty(),
        List.of(),
        false,
        Timeouts.unset());
  }

  /** Timeouts, with v1beta3's discovery timeout where v1beta4 keeps it when that is unset. */
  public Timeouts effectiveTimeouts() {
    if (timeouts.discovery() != null || discovery.timeout().isEmpty()) {
      return timeouts;
    }
    return new Timeouts(
        timeouts.controlPlaneComponentHealthCheck(),
        timeouts.kubeletHealthCheck(),
        timeouts.kubernetesAPICall(),
        timeouts.etcdAPICall(),
        timeouts.tlsBootstrap(),
        discovery.timeout().get(),
        timeouts.upgradeManifests());
  }
}
