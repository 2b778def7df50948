package dev.kubeboot.cli.config;

import dev.kubeboot.runner.runtime.LogRotation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A whole kubeadm config stream: the init and cluster configuration, what kubeboot takes from a
 * {@code KubeletConfiguration} document, where each value came from, and the warnings collected
 * while reading and defaulting (to be shown to the user once each).
 *
 * <p>As returned by {@link ConfigReader}, fields kubeadm defaults are null when the file leaves
 * them unset; after {@link InitConfigLoader#resolve} none is.
 *
 * @param staticPodPath the KubeletConfiguration's {@code staticPodPath}, when set
 * @param fileCheckFrequency the KubeletConfiguration's {@code fileCheckFrequency}, when set and not
 *     zero (zero means the kubelet's default)
 * @param containerLogs the KubeletConfiguration's {@code containerLogMaxSize} and {@code
 *     containerLogMaxFiles}, the kubelet's defaults (10Mi, 5) where unset
 * @param cgroupDriver the KubeletConfiguration's {@code cgroupDriver} ({@code cgroupfs} or {@code
 *     systemd}), when set: the CRI runtime's pod cgroups follow it
 * @param origins where each set field came from, by field path ({@code
 *     ClusterConfiguration.networking.serviceSubnet}): {@code file:line} or a flag name; a field
 *     missing here was defaulted
 */
public record KubeadmConfig(
    InitConfiguration init,
    ClusterConfiguration cluster,
    Optional<String> staticPodPath,
    Optional<Duration> fileCheckFrequency,
    LogRotation containerLogs,
    Optional<String> cgroupDriver,
    Map<String, String> origins,
    List<String> warnings) {
  public KubeadmConfig {
    Objects.requireNonNull(init, "init");
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(staticPodPath, "staticPodPath");
    Objects.requireNonNull(fileCheckFrequency, "fileCheckFrequency");
    Objects.requireNonNull(containerLogs, "containerLogs");
    Objects.requireNonNull(cgroupDriver, "cgroupDriver");
    origins = Map.copyOf(origins);
    warnings = List.copyOf(warnings);
  }

  /** The configuration of {@code kubeboot init} without {@code --config}: nothing set yet. */
  public static KubeadmConfig empty() {
    return new KubeadmConfig(
        InitConfiguration.unset(),
        ClusterConfiguration.unset(),
        Optional.empty(),
        Optional.empty(),
        LogRotation.DEFAULT,
        Optional.empty(),
        Map.of(),
        List.of());
  }

  KubeadmConfig with(InitConfiguration newInit, ClusterConfiguration newCluster) {
    return new KubeadmConfig(
        newInit,
        newCluster,
        staticPodPath,
        fileCheckFrequency,
        containerLogs,
        cgroupDriver,
        origins,
        warnings);
  }

  KubeadmConfig withOrigins(Map<String, String> newOrigins) {
    return new KubeadmConfig(
        init,
        cluster,
        staticPodPath,
        fileCheckFrequency,
        containerLogs,
        cgroupDriver,
        newOrigins,
        warnings);
  }

  KubeadmConfig withWarnings(List<String> newWarnings) {
    return new KubeadmConfig(
        init,
        cluster,
        staticPodPath,
        fileCheckFrequency,
        containerLogs,
        cgroupDriver,
        origins,
        newWarnings);
  }
}
