package dev.kubeboot.runner.api;

import dev.kubeboot.runner.pod.PodKey;

/** What the control socket's {@code POST /pods/<namespace>/<name>/restart} asks of the runner. */
@FunctionalInterface
public interface PodRestarter {
  /**
   * Starts restarting every container of the pod, crash backoff kept; returns at once.
   *
   * @return false when this runner has no such pod
   */
  boolean restart(PodKey key);
}
