package dev.kubeboot.templates;

import java.util.List;

/** The four static pods, in the order kubeadm writes them. */
public enum ControlPlaneComponent {
  ETCD("etcd"),
  KUBE_APISERVER("kube-apiserver"),
  KUBE_CONTROLLER_MANAGER("kube-controller-manager"),
  KUBE_SCHEDULER("kube-scheduler");

  /** etcd, kube-apiserver, kube-controller-manager, kube-scheduler. */
  public static final List<ControlPlaneComponent> ORDERED = List.of(values());

  private final String podName;

  ControlPlaneComponent(String podName) {
    this.podName = podName;
  }

  /** Pod, container and binary name, e.g. {@code kube-apiserver}. */
  public String podName() {
    return podName;
  }

  /** The manifest file name in the manifest directory, e.g. {@code kube-apiserver.yaml}. */
  public String manifestFileName() {
    return podName + ".yaml";
  }
}
