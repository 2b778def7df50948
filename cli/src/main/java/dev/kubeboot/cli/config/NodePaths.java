package dev.kubeboot.cli.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where kubeboot puts this node's files unless the configuration says otherwise: kubeadm's fixed
 * places, or, with {@code --kubernetes-dir DIR}, places under DIR so that a trial cluster never
 * touches the host's {@code /etc/kubernetes} or {@code /var/lib/etcd}.
 *
 * @param certificatesDir the default {@code certificatesDir}
 * @param etcdDataDir the default {@code etcd.local.dataDir}
 * @param manifestDir where init writes the static pod manifests (not configurable, as in kubeadm)
 */
public record NodePaths(String certificatesDir, String etcdDataDir, String manifestDir) {
  public static final Path KUBERNETES_DIR = Path.of("/etc/kubernetes");

  public NodePaths {
    Objects.requireNonNull(certificatesDir, "certificatesDir");
    Objects.requireNonNull(etcdDataDir, "etcdDataDir");
    Objects.requireNonNull(manifestDir, "manifestDir");
  }

  /** kubeadm's: /etc/kubernetes/pki, /var/lib/etcd, /etc/kubernetes/manifests. */
  public static NodePaths standard() {
    return new NodePaths("/etc/kubernetes/pki", "/var/lib/etcd", "/etc/kubernetes/manifests");
  }

  /**
   * The places under a kubernetes directory: DIR/pki, DIR/etcd-data, DIR/manifests; kubeadm's own
   * places when DIR is /etc/kubernetes. The etcd data stays inside DIR, so two trial clusters in
   * two directories never share it and removing DIR removes everything of the cluster.
   */
  public static NodePaths under(Path kubernetesDir) {
    Path dir = kubernetesDir.toAbsolutePath().normalize();
    if (dir.equals(KUBERNETES_DIR)) {
      return standard();
    }
    return new NodePaths(
        dir.resolve("pki").toString(),
        dir.resolve("etcd-data").toString(),
        dir.resolve("manifests").toString());
  }
}
