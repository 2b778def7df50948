package dev.kubeboot.cli.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** How messages name an API object: {@code ConfigMap kube-system/kubeadm-config}. */
public record ObjectRef(String kind, String namespace, String name) {
  public static ObjectRef of(HasMetadata object) {
    return new ObjectRef(
        object.getKind(), object.getMetadata().getNamespace(), object.getMetadata().getName());
  }

  @Override
  public String toString() {
    return kind + " " + (namespace == null || namespace.isEmpty() ? "" : namespace + "/") + name;
  }
}
