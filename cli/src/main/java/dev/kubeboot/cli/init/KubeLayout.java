package dev.kubeboot.cli.init;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where init puts things: kubeconfigs in {@code kubernetesDir}, manifests in {@code
 * kubernetesDir/manifests}, certificates in {@code certDir}.
 */
public record KubeLayout(Path kubernetesDir, Path certDir, Path manifestDir) {
  public static final Path DEFAULT_KUBERNETES_DIR = Path.of("/etc/kubernetes");

  public KubeLayout {
    kubernetesDir =
        Objects.requireNonNull(kubernetesDir, "kubernetesDir").toAbsolutePath().normalize();
    certDir = Objects.requireNonNull(certDir, "certDir").toAbsolutePath().normalize();
    manifestDir = Objects.requireNonNull(manifestDir, "manifestDir").toAbsolutePath().normalize();
  }

  public static KubeLayout of(Path kubernetesDir, Path certDir) {
    return new KubeLayout(kubernetesDir, certDir, kubernetesDir.resolve("manifests"));
  }

  public Path kubeconfigDir() {
    return kubernetesDir;
  }

  public Path kubeconfig(String fileName) {
    return kubernetesDir.resolve(fileName);
  }

  public Path manifest(String fileName) {
    return manifestDir.resolve(fileName);
  }

  public Path cert(String relative) {
    return certDir.resolve(relative);
  }

  /**
   * kubeboot's record of the manifests it wrote (sha256sum format), so a re-run recognises its own
   * files. A dotfile outside the manifest directory: no watcher reads it as a pod.
   */
  public Path manifestRecord() {
    return kubernetesDir.resolve(".kubeboot-manifests.sha256");
  }

  /**
   * The etcd data directory init set up (one line): reset empties that directory and refuses any
   * other. A dotfile beside the manifest record.
   */
  public Path etcdDataRecord() {
    return kubernetesDir.resolve(".kubeboot-etcd-data-dir");
  }

  /**
   * The etcd member a control-plane join announced (its peer URL and the members it asked), written
   * before the member is added: reset takes that member out even when the join died before this
   * node's etcd manifest was written. A dotfile beside the manifest record.
   */
  public Path etcdJoinRecord() {
    return kubernetesDir.resolve(".kubeboot-etcd-join");
  }

  /**
   * kubeadm's temporary directory: upgrade keeps its manifest and etcd backups there, reset empties
   * it only when asked to (--cleanup-tmp-dir).
   */
  public Path tmpDir() {
    return kubernetesDir.resolve("tmp");
  }
}
