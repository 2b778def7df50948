package dev.kubeboot.cli.cluster;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;

/**
 * The RBAC rules kubeadm's bootstrap-token phase writes (phases/bootstraptoken/node): what a
 * joining node may do with its bootstrap token, and that the csrapprover signs its certificates.
 */
public final class BootstrapTokenObjects {
  public static final String GET_NODES = "kubeadm:get-nodes";
  public static final String KUBELET_BOOTSTRAP = "kubeadm:kubelet-bootstrap";
  public static final String AUTOAPPROVE_BOOTSTRAP = "kubeadm:node-autoapprove-bootstrap";
  public static final String AUTOAPPROVE_ROTATION = "kubeadm:node-autoapprove-certificate-rotation";

  private BootstrapTokenObjects() {}

  /** ClusterRole {@code kubeadm:get-nodes}: get nodes. */
  public static ClusterRole getNodesRole() {
    return Rbac.clusterRole(GET_NODES, "get", "nodes");
  }

  public static ClusterRoleBinding getNodesBinding() {
    return Rbac.clusterRoleBinding(GET_NODES, GET_NODES, Rbac.group(Rbac.BOOTSTRAPPERS));
  }

  /** Bootstrap tokens may post CSRs (system:node-bootstrapper). */
  public static ClusterRoleBinding kubeletBootstrap() {
    return Rbac.clusterRoleBinding(
        KUBELET_BOOTSTRAP, "system:node-bootstrapper", Rbac.group(Rbac.BOOTSTRAPPERS));
  }

  /** The csrapprover approves node client CSRs made with a bootstrap token. */
  public static ClusterRoleBinding autoApproveBootstrap() {
    return Rbac.clusterRoleBinding(
        AUTOAPPROVE_BOOTSTRAP,
        "system:certificates.k8s.io:certificatesigningrequests:nodeclient",
        Rbac.group(Rbac.BOOTSTRAPPERS));
  }

  /** The csrapprover approves nodes renewing their own client certificates. */
  public static ClusterRoleBinding autoApproveRotation() {
    return Rbac.clusterRoleBinding(
        AUTOAPPROVE_ROTATION,
        "system:certificates.k8s.io:certificatesigningrequests:selfnodeclient",
        Rbac.group(Rbac.NODES));
  }
}
