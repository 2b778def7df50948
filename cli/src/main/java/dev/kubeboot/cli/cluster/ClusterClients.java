package dev.kubeboot.cli.cluster;

import dev.kubeboot.cli.KubebootException;
import dev.kubeboot.runner.worker.Sleeper;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** Opens a {@link ClusterApi} on the API server a kubeconfig names. */
public final class ClusterClients {
  /** Short, so that a dead API server shows as retries rather than a hang. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);

  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private ClusterClients() {}

  /**
   * @param kubeconfig the file whose current context is used (admin.conf)
   * @param timeout how long each request keeps being tried while the API server does not answer
   */
  public static ClusterApi open(Path kubeconfig, Duration timeout, Clock clock)
      throws KubebootException {
    if (!Files.isRegularFile(kubeconfig)) {
      throw new KubebootException(
          "the kubeconfig "
              + kubeconfig
              + " does not exist: run \"kubeboot init phase kubeconfig admin\" or name another"
              + " one with --kubeconfig");
    }
    Config config;
    try {
      config = Config.fromKubeconfig(null, kubeconfig.toFile());
    } catch (RuntimeException e) {
      throw new KubebootException(
          "the kubeconfig " + kubeconfig + " cannot be used: " + e.getMessage(), e);
    }
    Config tuned =
        new ConfigBuilder(config)
            .withConnectionTimeout((int) CONNECT_TIMEOUT.toMillis())
            .withRequestTimeout((int) REQUEST_TIMEOUT.toMillis())
            // ApiRetry does the retrying, with the API call timeout as its bound.
            .withRequestRetryBackoffLimit(0)
            .build();
    var client = new KubernetesClientBuilder().withConfig(tuned).build();
    return new Fabric8ClusterApi(
        client, new ApiRetry(timeout, clock, Sleeper.of(clock), client.getMasterUrl().toString()));
  }
}
