package dev.kubeboot.runner.status;

import java.time.Instant;
import java.util.Objects;

/**
 * One of the pod's conditions ("PodScheduled", "PodReadyToStartContainers", "Initialized",
 * "ContainersReady", "Ready").
 *
 * @param lastTransitionTime when {@code status} last flipped
 */
public record PodCondition(String type, boolean status, Instant lastTransitionTime) {
  public static final String POD_SCHEDULED = "PodScheduled";

  /** True once the pod's sandbox (with its network) is ready for containers (kubelet 1.29+). */
  public static final String POD_READY_TO_START_CONTAINERS = "PodReadyToStartContainers";

  public static final String INITIALIZED = "Initialized";
  public static final String CONTAINERS_READY = "ContainersReady";
  public static final String READY = "Ready";

  public PodCondition {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(lastTransitionTime, "lastTransitionTime");
  }
}
