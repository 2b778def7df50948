package dev.kubeboot.cli.join;

import dev.kubeboot.cli.KubebootException;
import dev.kubeboot.cli.cluster.UploadConfigObjects;
import dev.kubeboot.cli.config.ClusterConfiguration;
import dev.kubeboot.cli.config.ConfigException;
import dev.kubeboot.cli.config.ConfigReader;
import dev.kubeboot.cli.token.BootstrapTokenString;
import java.time.Duration;
import tools.jackson.databind.JsonNode;

/**
 * The cluster's configuration as kubeadm join reads it: the {@code ClusterConfiguration} key of
 * ConfigMap kube-system/kubeadm-config (written by init's upload-config), read with the bootstrap
 * token, which the first node's RBAC lets read exactly that ConfigMap.
 */
final class ClusterConfigDownload {
  private final Duration callTimeout;

  ClusterConfigDownload(Duration callTimeout) {
    this.callTimeout = callTimeout;
  }

  ClusterConfiguration read(DiscoveredCluster cluster, BootstrapTokenString token)
      throws KubebootException, InterruptedException {
    String source = "ConfigMap kube-system/" + UploadConfigObjects.KUBEADM_CONFIG;
    JsonNode data =
        new TokenClient(cluster, token, callTimeout)
            .data("configmaps", UploadConfigObjects.KUBEADM_CONFIG)
            .orElseThrow(
                () ->
                    new KubebootException(
                        source
                            + " not found at "
                            + cluster.server()
                            + ": the first control-plane node did not upload its configuration;"
                            + " run kubeboot init phase upload-config there"));
    JsonNode yaml = data.path(UploadConfigObjects.CLUSTER_CONFIGURATION_KEY);
    if (!yaml.isString() || yaml.asString().isBlank()) {
      throw new KubebootException(
          source + " has no " + UploadConfigObjects.CLUSTER_CONFIGURATION_KEY + " key");
    }
    try {
      return new ConfigReader().read(yaml.asString(), source).cluster();
    } catch (ConfigException e) {
      throw new KubebootException(
          "the cluster's configuration in " + source + " cannot be used: " + e.getMessage(), e);
    }
  }
}
