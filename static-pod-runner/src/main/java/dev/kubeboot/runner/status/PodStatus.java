package dev.kubeboot.runner.status;

import dev.kubeboot.runner.pod.PodKey;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the runner knows about one static pod, shaped like the API's pod status.
 *
 * @param uid the config hash
 * @param source the manifest file the pod came from
 * @param podIP the node's IP for a hostNetwork pod, else empty
 */
public record PodStatus(
    PodKey key,
    String uid,
    String source,
    PodPhase phase,
    List<PodCondition> conditions,
    List<ContainerStatus> initContainerStatuses,
    List<ContainerStatus> containerStatuses,
    Optional<Instant> startTime,
    String hostIP,
    String podIP) {
  public PodStatus {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(uid, "uid");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(phase, "phase");
    conditions = List.copyOf(conditions);
    initContainerStatuses = List.copyOf(initContainerStatuses);
    containerStatuses = List.copyOf(containerStatuses);
    Objects.requireNonNull(startTime, "startTime");
    Objects.requireNonNull(hostIP, "hostIP");
    Objects.requireNonNull(podIP, "podIP");
  }

  public Optional<PodCondition> condition(String type) {
    return conditions.stream().filter(c -> c.type().equals(type)).findFirst();
  }

  /** Whether the Ready condition is true. */
  public boolean ready() {
    return condition(PodCondition.READY).map(PodCondition::status).orElse(false);
  }

  public Optional<ContainerStatus> container(String name) {
    return containerStatuses.stream().filter(c -> c.name().equals(name)).findFirst();
  }

  public Optional<ContainerStatus> initContainer(String name) {
    return initContainerStatuses.stream().filter(c -> c.name().equals(name)).findFirst();
  }
}
