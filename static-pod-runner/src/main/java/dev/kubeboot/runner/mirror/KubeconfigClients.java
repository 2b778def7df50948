package dev.kubeboot.runner.mirror;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;

/** Builds fabric8 clients from a kubeconfig file, tuned for a syncer that must never hang. */
final class KubeconfigClients {
  /** Short: an unreachable API server must surface as "waiting", not as a stuck syncer. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);

  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private KubeconfigClients() {}

  /** A supplier that reads {@code kubeconfig} each time it is asked (the file may appear late). */
  static Supplier<KubernetesClient> from(Path kubeconfig) {
    return () -> {
      if (!Files.isReadable(kubeconfig)) {
        throw new MirrorSyncException(
            "kubeconfig " + kubeconfig + " cannot be read: check the path given with --kubeconfig");
      }
      Config config;
      try {
        config = Config.fromKubeconfig(null, kubeconfig.toFile());
      } catch (RuntimeException e) {
        throw new MirrorSyncException(
            "kubeconfig " + kubeconfig + " cannot be used: " + e.getMessage(), e);
      }
      return new KubernetesClientBuilder().withConfig(tuned(config)).build();
    };
  }

  /** No client-side retries (the syncer has its own backoff) and bounded waits. */
  static Config tuned(Config config) {
    return new ConfigBuilder(config)
        .withConnectionTimeout((int) CONNECT_TIMEOUT.toMillis())
        .withRequestTimeout((int) REQUEST_TIMEOUT.toMillis())
        .withRequestRetryBackoffLimit(0)
        .withWatchReconnectInterval(500)
        .build();
  }
}
