package dev.kubeboot.runner.status;

import java.util.Objects;
import java.util.Optional;

/**
 * One entry of {@code containerStatuses} / {@code initContainerStatuses}.
 *
 * @param lastState the previous run's end, once the container has restarted or is backing off
 * @param started true once running and past its startup probe (if any)
 * @param containerID {@code <runtime>://<id>}, empty before the first start
 */
public record ContainerStatus(
    String name,
    ContainerState state,
    Optional<ContainerState.Terminated> lastState,
    boolean ready,
    boolean started,
    int restartCount,
    String image,
    String containerID) {
  public ContainerStatus {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(lastState, "lastState");
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(containerID, "containerID");
  }

  /** A container that has not been started yet. */
  public static ContainerStatus waiting(String name, String image, String reason) {
    return new ContainerStatus(
        name, new ContainerState.Waiting(reason, ""), Optional.empty(), false, false, 0, image, "");
  }
}
