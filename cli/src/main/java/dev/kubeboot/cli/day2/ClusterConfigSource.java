package dev.kubeboot.cli.day2;

import dev.kubeboot.cli.CliContext;
import dev.kubeboot.cli.KubebootException;
import dev.kubeboot.cli.UsageException;
import dev.kubeboot.cli.cluster.ClusterApi;
import dev.kubeboot.cli.cluster.ClusterClients;
import dev.kubeboot.cli.cluster.UploadConfigObjects;
import dev.kubeboot.cli.config.ConfigException;
import dev.kubeboot.cli.config.ConfigReader;
import dev.kubeboot.cli.config.KubeadmConfig;
import dev.kubeboot.cli.init.InitOptions;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Where certs renew and certs check-expiration take the cluster's configuration from, as kubeadm
 * does: --config when given; else the ClusterConfiguration init uploaded to
 * kube-system/kubeadm-config, so that a renewal keeps the cluster's encryptionAlgorithm and
 * certificateValidityPeriod instead of falling back to RSA and one year; else kubeadm's defaults,
 * said so. Renewal must also work while the API server is down or its certificates have expired, so
 * the cluster is asked once and briefly.
 */
final class ClusterConfigSource {
  /**
   * Long enough for a healthy API server to answer (it answers the first try), short enough not to
   * hold up a renewal on a node whose API server is down, which is when renewals are needed most.
   */
  static final Duration FETCH_TIMEOUT = Duration.ofSeconds(3);

  private static final String SOURCE =
      "ConfigMap "
          + UploadConfigObjects.NAMESPACE
          + "/"
          + UploadConfigObjects.KUBEADM_CONFIG
          + " (key "
          + UploadConfigObjects.CLUSTER_CONFIGURATION_KEY
          + ")";

  private ClusterConfigSource() {}

  /**
   * @param configFlag --config as given, or null
   * @param notices where kubeadm's "[prefix] Reading configuration ..." lines go
   * @param logPrefix the command's prefix in those lines, e.g. "renew"
   */
  static KubeadmConfig load(
      CliContext context,
      InitOptions options,
      Path configFlag,
      PrintWriter notices,
      String logPrefix)
      throws UsageException {
    Path kubeconfig = options.kubernetesDirOrDefault().resolve("admin.conf");
    if (configFlag != null || !Files.isRegularFile(kubeconfig)) {
      return CertsCommand.loadConfig(context, options);
    }
    notices.printf(
        "[%s] Reading configuration from the \"%s\" ConfigMap in namespace \"%s\"...%n",
        logPrefix, UploadConfigObjects.KUBEADM_CONFIG, UploadConfigObjects.NAMESPACE);
    notices.printf(
        "[%s] Use 'kubeboot init phase upload-config kubeadm --config your-config-file' to"
            + " re-upload it.%n",
        logPrefix);
    Optional<String> uploaded = fetch(kubeconfig);
    if (uploaded.isEmpty()) {
      notices.printf(
          "[%s] Error reading configuration from the Cluster. Falling back to default"
              + " configuration%n",
          logPrefix);
    }
    notices.println();
    notices.flush();
    if (uploaded.isEmpty()) {
      return CertsCommand.loadConfig(context, options);
    }
    KubeadmConfig read;
    try {
      read = new ConfigReader().read(uploaded.get(), SOURCE);
    } catch (ConfigException e) {
      // A ConfigMap someone edited into an invalid document: the defaults would silently renew
      // with other settings, so the command stops and names the object instead.
      throw new UsageException(
          "the cluster's configuration in "
              + SOURCE
              + " cannot be used: "
              + e.getMessage()
              + "; fix it, or pass --config",
          e);
    }
    return CertsCommand.loadConfig(context, options, read);
  }

  /** The uploaded ClusterConfiguration, or empty when the cluster cannot tell. */
  private static Optional<String> fetch(Path kubeconfig) {
    try {
      return Optional.of(fetchOrFail(kubeconfig));
    } catch (KubebootException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /**
   * The ClusterConfiguration init uploaded, read with {@code kubeconfig}.
   *
   * @throws KubebootException saying why the cluster cannot tell
   */
  static String fetchOrFail(Path kubeconfig) throws KubebootException, InterruptedException {
    try (ClusterApi api = ClusterClients.open(kubeconfig, FETCH_TIMEOUT, Clock.systemUTC())) {
      return api.get(
              ConfigMap.class, UploadConfigObjects.NAMESPACE, UploadConfigObjects.KUBEADM_CONFIG)
          .map(ConfigMap::getData)
          .map(data -> data.get(UploadConfigObjects.CLUSTER_CONFIGURATION_KEY))
          .filter(text -> !text.isBlank())
          .orElseThrow(
              () ->
                  new KubebootException(
                      "the cluster has no "
                          + SOURCE
                          + ": run \"kubeboot init phase upload-config kubeadm\" on the first"
                          + " control-plane node"));
    }
  }

  /** The object the configuration comes from, for messages. */
  static String source() {
    return SOURCE;
  }
}
