package dev.kubeboot.cli.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A whole kubeadm config stream: the init and cluster configuration, what kubeboot takes from a
 * {@code KubeletConfiguration} document ({@code staticPodPath}, {@code fileCheckFrequency}), and
 * the warnings collected while reading and defaulting (to be shown to the user once each).
 *
 * <p>As returned by {@link ConfigReader}, fields kubeadm defaults are null when the file leaves
 * them unset; after {@link ConfigDefaults#apply} none is.
 */
public record KubeadmConfig(
    InitConfiguration init,
    ClusterConfiguration cluster,
    Optional<String> staticPodPath,
    Optional<Duration> fileCheckFrequency,
    List<String> warnings) {
  public KubeadmConfig {
    Objects.requireNonNull(init, "init");
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(staticPodPath, "staticPodPath");
    Objects.requireNonNull(fileCheckFrequency, "fileCheckFrequency");
    warnings = List.copyOf(warnings);
  }

  /** The configuration of {@code kubeboot init} without {@code --config}: nothing set yet. */
  public static KubeadmConfig empty() {
    return new KubeadmConfig(
        InitConfiguration.unset(),
        ClusterConfiguration.unset(),
        Optional.empty(),
        Optional.empty(),
        List.of());
  }

  KubeadmConfig withWarnings(List<String> newWarnings) {
    return new KubeadmConfig(init, cluster, staticPodPath, fileCheckFrequency, newWarnings);
  }
}
