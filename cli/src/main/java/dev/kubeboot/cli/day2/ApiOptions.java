package dev.kubeboot.cli.day2;

import dev.kubeboot.cli.KubebootException;
import dev.kubeboot.cli.cluster.ClusterApi;
import dev.kubeboot.cli.cluster.ClusterClients;
import dev.kubeboot.cli.init.KubeLayout;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import picocli.CommandLine.Option;

/** How a command reaches the API server: admin.conf of a kubernetes dir, or a kubeconfig. */
final class ApiOptions {
  /** kubeadm's KubernetesAPICall timeout. */
  static final Duration API_TIMEOUT = Duration.ofMinutes(1);

  @Option(
      names = "--kubernetes-dir",
      paramLabel = "DIR",
      description =
          "Where init put the kubeconfigs; admin.conf in it is used (default /etc/kubernetes).")
  Path kubernetesDir;

  @Option(
      names = "--kubeconfig",
      paramLabel = "FILE",
      description = "The kubeconfig to talk to the cluster with (default: DIR/admin.conf).")
  Path kubeconfig;

  Path kubeconfigPath() {
    if (kubeconfig != null) {
      return kubeconfig.toAbsolutePath();
    }
    return (kubernetesDir != null
            ? kubernetesDir.toAbsolutePath()
            : KubeLayout.DEFAULT_KUBERNETES_DIR)
        .resolve("admin.conf");
  }

  ClusterApi open(Clock clock) throws KubebootException {
    return ClusterClients.open(kubeconfigPath(), API_TIMEOUT, clock);
  }
}
