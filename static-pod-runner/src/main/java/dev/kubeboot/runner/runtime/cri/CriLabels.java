package dev.kubeboot.runner.runtime.cri;

/**
 * The labels and annotations the kubelet puts on CRI sandboxes and containers (so {@code crictl
 * pods --label io.kubernetes.pod.name=...} works as on a kubelet node), plus kubeboot's ownership
 * label, the only one listing, adoption and clean-up trust.
 */
final class CriLabels {
  static final String MANAGED = "dev.kubeboot.managed";
  static final String POD_NAME = "io.kubernetes.pod.name";
  static final String POD_NAMESPACE = "io.kubernetes.pod.namespace";
  static final String POD_UID = "io.kubernetes.pod.uid";
  static final String CONTAINER_NAME = "io.kubernetes.container.name";
  static final String CONTAINER_HASH = "io.kubernetes.container.hash";
  static final String RESTART_COUNT = "io.kubernetes.container.restartCount";
  static final String GRACE_PERIOD = "io.kubernetes.pod.terminationGracePeriod";
  static final String CONFIG_SOURCE = "kubernetes.io/config.source";

  private CriLabels() {}
}
