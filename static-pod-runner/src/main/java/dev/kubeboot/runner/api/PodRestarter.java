package dev.kubeboot.runner.api;

import dev.kubeboot.runner.pod.PodKey;

/** What the status endpoint's {@code POST /pods/<namespace>/<name>/restart} asks of the runner. */
@FunctionalInterface
public interface PodRestarter {
  /** A restarter for a server that runs no pods: every pod is unknown. */
  PodRestarter NONE = key -> false;

  /**
   * Starts restarting every container of the pod; returns at once.
   *
   * @return false when this runner has no such pod
   */
  boolean restart(PodKey key);
}
