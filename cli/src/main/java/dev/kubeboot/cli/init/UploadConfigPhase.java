package dev.kubeboot.cli.init;

import dev.kubeboot.cli.cluster.ClusterApi;
import dev.kubeboot.cli.cluster.ComponentConfigDocuments;
import dev.kubeboot.cli.cluster.UploadConfigObjects;
import dev.kubeboot.cli.config.ClusterConfigurationYaml;
import dev.kubeboot.cli.workflow.Group;
import dev.kubeboot.cli.workflow.Phase;
import dev.kubeboot.cli.workflow.Step;

/**
 * Phase "upload-config": the ClusterConfiguration and the kubelets' configuration stored in the
 * cluster for nodes that join later (kubeadm's upload-config kubeadm|kubelet).
 */
final class UploadConfigPhase {
  private UploadConfigPhase() {}

  static Phase<InitContext> phase() {
    return Group.of(
        "upload-config",
        "Upload the kubeadm and kubelet configuration to a ConfigMap",
        Step.<InitContext>of(
                "kubeadm",
                "Upload the kubeadm ClusterConfiguration to a ConfigMap",
                UploadConfigPhase::kubeadm)
            .requiring(ApiPhases.kubeconfig()),
        Step.<InitContext>of(
                "kubelet",
                "Upload the kubelet component config to a ConfigMap",
                UploadConfigPhase::kubelet)
            .requiring(ApiPhases.kubeconfig()));
  }

  private static void kubeadm(InitContext ctx) throws Exception {
    ctx.printer()
        .phase(
            "upload-config",
            "Storing the configuration used in ConfigMap \"%s\" in the \"%s\" Namespace",
            UploadConfigObjects.KUBEADM_CONFIG,
            UploadConfigObjects.NAMESPACE);
    ClusterApi api = ctx.api();
    api.apply(
        UploadConfigObjects.kubeadmConfig(ClusterConfigurationYaml.marshal(ctx.config().cluster())),
        UploadConfigObjects::mutateKubeadmConfig);
    api.createOrUpdate(UploadConfigObjects.kubeadmConfigRole());
    api.createOrUpdate(UploadConfigObjects.kubeadmConfigRoleBinding());
  }

  private static void kubelet(InitContext ctx) throws Exception {
    ctx.printer()
        .phase(
            "kubelet",
            "Creating a ConfigMap \"%s\" in namespace %s with the configuration for the kubelets"
                + " in the cluster",
            UploadConfigObjects.KUBELET_CONFIG,
            UploadConfigObjects.NAMESPACE);
    ClusterApi api = ctx.api();
    api.createOrUpdate(
        UploadConfigObjects.kubeletConfig(
            ComponentConfigDocuments.kubelet(
                ctx.config().cluster(), ctx.cluster().componentConfigs())));
    api.createOrUpdate(UploadConfigObjects.kubeletConfigRole());
    api.createOrUpdate(UploadConfigObjects.kubeletConfigRoleBinding());
  }
}
