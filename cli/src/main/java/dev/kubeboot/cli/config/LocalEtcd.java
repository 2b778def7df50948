package dev.kubeboot.cli.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code etcd.local}: etcd run as a static pod. {@code dataDir} is null as read when unset. {@code
 * imageRepository}/{@code imageTag} override the cluster image repository and kubeadm's etcd
 * version table.
 */
public record LocalEtcd(
    Optional<String> imageRepository,
    Optional<String> imageTag,
    String dataDir,
    List<ExtraArg> extraArgs,
    List<EnvVar> extraEnvs,
    List<String> serverCertSANs,
    List<String> peerCertSANs)
    implements Etcd {
  public LocalEtcd {
    Objects.requireNonNull(imageRepository, "imageRepository");
    Objects.requireNonNull(imageTag, "imageTag");
    extraArgs = List.copyOf(extraArgs);
    extraEnvs = List.copyOf(extraEnvs);
    serverCertSANs = List.copyOf(serverCertSANs);
    peerCertSANs = List.copyOf(peerCertSANs);
  }

  static LocalEtcd unset() {
    return new LocalEtcd(
        Optional.empty(), Optional.empty(), null, List.of(), List.of(), List.of(), List.of());
  }

  LocalEtcd withDataDir(String dir) {
    return new LocalEtcd(
        imageRepository, imageTag, dir, extraArgs, extraEnvs, serverCertSANs, peerCertSANs);
  }
}
