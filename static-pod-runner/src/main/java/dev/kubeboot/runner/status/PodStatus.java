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
 * @param podIP the node's IP for a hostNetwork pod, else the pod's primary IP from its network;
 *     empty while it has none
 * @param podIPs every IP of the pod (one per family), the primary one first
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
    String podIP,
    List<String> podIPs) {
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
    podIPs = List.copyOf(podIPs);
    if (podIP.isEmpty() ? !podIPs.isEmpty() : podIPs.isEmpty() || !podIPs.get(0).equals(podIP)) {
      throw new IllegalArgumentException(
          "podIPs " + podIPs + " must start with podIP \"" + podIP + "\"");
    }
  }

  /** A status with one pod IP (or none). */
  public PodStatus(
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
    this(
        key,
        uid,
        source,
        phase,
        conditions,
        initContainerStatuses,
        containerStatuses,
        startTime,
        hostIP,
        podIP,
        podIP.isEmpty() ? List.of() : List.of(podIP));
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
