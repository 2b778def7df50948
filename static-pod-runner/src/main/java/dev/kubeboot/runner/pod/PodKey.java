package dev.kubeboot.runner.pod;

import java.util.Objects;

/**
 * Identity of a pod on this node: namespace and the node-suffixed name, as the API server would see
 * it.
 */
public record PodKey(String namespace, String name) implements Comparable<PodKey> {
  public PodKey {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
  }

  @Override
  public int compareTo(PodKey other) {
    int c = namespace.compareTo(other.namespace);
    return c != 0 ? c : name.compareTo(other.name);
  }

  @Override
  public String toString() {
    return namespace + "/" + name;
  }
}
