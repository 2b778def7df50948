package dev.kubeboot.templates;

import java.util.List;
import java.util.Objects;

/**
 * kubeadm's {@code etcd.local}.
 *
 * @param imageRepository null to use the cluster's imageRepository
 * @param imageTag null to use kubeadm's tag for the Kubernetes version ({@link
 *     EtcdVersion#defaultImageTag})
 * @param serverCertSANs kept for the certificate phase; the manifest does not use them
 * @param peerCertSANs kept for the certificate phase; the manifest does not use them
 */
public record LocalEtcd(
    String imageRepository,
    String imageTag,
    String dataDir,
    List<Arg> extraArgs,
    List<EnvVar> extraEnvs,
    List<String> serverCertSANs,
    List<String> peerCertSANs)
    implements Etcd {

  public static final String DEFAULT_DATA_DIR = "/var/lib/etcd";

  public LocalEtcd {
    Objects.requireNonNull(dataDir, "etcd.local.dataDir");
    extraArgs = List.copyOf(extraArgs);
    extraEnvs = List.copyOf(extraEnvs);
    serverCertSANs = List.copyOf(serverCertSANs);
    peerCertSANs = List.copyOf(peerCertSANs);
  }

  /** kubeadm's defaults: data in /var/lib/etcd, image from the table. */
  public static LocalEtcd defaults() {
    return new LocalEtcd(null, null, DEFAULT_DATA_DIR, List.of(), List.of(), List.of(), List.of());
  }
}
