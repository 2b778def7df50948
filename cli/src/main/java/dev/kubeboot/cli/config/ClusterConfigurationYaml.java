package dev.kubeboot.cli.config;

/**
 * The {@code ClusterConfiguration} document kubeadm's upload-config stores in {@code
 * kube-system/kubeadm-config}: the defaulted configuration as {@code kubeadm.k8s.io/v1beta4}, keys
 * sorted, fields written as {@code kubeadm config print} writes them (empty structures as {@code
 * {}}), nothing of the InitConfiguration (tokens, node registration, certificate key).
 */
public final class ClusterConfigurationYaml {
  private ClusterConfigurationYaml() {}

  public static String marshal(ClusterConfiguration cluster) {
    return GoYaml.dump(InitDefaultsPrinter.cluster(cluster));
  }
}
