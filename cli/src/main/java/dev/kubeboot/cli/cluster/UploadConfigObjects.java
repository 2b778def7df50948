package dev.kubeboot.cli.cluster;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What kubeadm's upload-config phase writes (phases/uploadconfig, phases/kubelet/config.go): the
 * kubeadm-config and kubelet-config ConfigMaps and the Roles that let joining nodes read them.
 */
public final class UploadConfigObjects {
  public static final String NAMESPACE = "kube-system";
  public static final String KUBEADM_CONFIG = "kubeadm-config";
  public static final String CLUSTER_CONFIGURATION_KEY = "ClusterConfiguration";
  public static final String KUBELET_CONFIG = "kubelet-config";
  public static final String KUBELET_KEY = "kubelet";
  public static final String NODES_KUBEADM_CONFIG_ROLE = "kubeadm:nodes-kubeadm-config";
  public static final String KUBELET_CONFIG_ROLE = "kubeadm:kubelet-config";

  private UploadConfigObjects() {}

  /** {@code kube-system/kubeadm-config} with the one key {@code ClusterConfiguration}. */
  public static ConfigMap kubeadmConfig(String clusterConfigurationYaml) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(KUBEADM_CONFIG)
        .withNamespace(NAMESPACE)
        .endMetadata()
        .withData(Map.of(CLUSTER_CONFIGURATION_KEY, clusterConfigurationYaml))
        .build();
  }

  /**
   * kubeadm's create-or-mutate: an existing kubeadm-config keeps its other keys and metadata; only
   * {@code ClusterConfiguration} is replaced.
   */
  public static ConfigMap mutateKubeadmConfig(ConfigMap current, ConfigMap desired) {
    Map<String, String> data =
        new LinkedHashMap<>(current.getData() == null ? Map.of() : current.getData());
    data.put(CLUSTER_CONFIGURATION_KEY, desired.getData().get(CLUSTER_CONFIGURATION_KEY));
    return new ConfigMapBuilder(current).withData(data).build();
  }

  /** Role {@code kubeadm:nodes-kubeadm-config}: get configmaps [kubeadm-config]. */
  public static Role kubeadmConfigRole() {
    return Rbac.getRole(NAMESPACE, NODES_KUBEADM_CONFIG_ROLE, "configmaps", KUBEADM_CONFIG);
  }

  /** Bootstrap tokens first, then nodes (kubeadm's order for this binding). */
  public static RoleBinding kubeadmConfigRoleBinding() {
    return Rbac.roleBinding(
        NAMESPACE,
        NODES_KUBEADM_CONFIG_ROLE,
        List.of(Rbac.group(Rbac.BOOTSTRAPPERS), Rbac.group(Rbac.NODES)));
  }

  /**
   * {@code kube-system/kubelet-config} with the one key {@code kubelet}; signed with kubeadm's
   * component-config hash unless the user wrote the document.
   */
  public static ConfigMap kubeletConfig(ComponentConfigDocuments.Document kubelet) {
    ConfigMap configMap =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName(KUBELET_CONFIG)
            .withNamespace(NAMESPACE)
            .withAnnotations(new LinkedHashMap<>())
            .endMetadata()
            .withData(Map.of(KUBELET_KEY, kubelet.yaml()))
            .build();
    return kubelet.userSupplied() ? configMap : ComponentConfigHash.sign(configMap);
  }

  /** Role {@code kubeadm:kubelet-config}: get configmaps [kubelet-config]. */
  public static Role kubeletConfigRole() {
    return Rbac.getRole(NAMESPACE, KUBELET_CONFIG_ROLE, "configmaps", KUBELET_CONFIG);
  }

  /** Nodes first, then bootstrap tokens (the reverse of the kubeadm-config binding). */
  public static RoleBinding kubeletConfigRoleBinding() {
    return Rbac.roleBinding(
        NAMESPACE,
        KUBELET_CONFIG_ROLE,
        List.of(Rbac.group(Rbac.NODES), Rbac.group(Rbac.BOOTSTRAPPERS)));
  }
}
