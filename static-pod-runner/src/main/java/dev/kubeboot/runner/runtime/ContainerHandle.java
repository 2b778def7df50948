package dev.kubeboot.runner.runtime;

import dev.kubeboot.runner.pod.PodKey;
import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/**
 * A running (or once running) container, as its runtime knows it.
 *
 * @param id the runtime's id (a pid for host processes, a container id for engines)
 * @param podUid the config hash of the pod it belongs to
 * @param attempt its restart count when started
 * @param configHash a hash of the container's spec, so an adopted container whose spec changed is
 *     replaced
 */
public record ContainerHandle(
    String id,
    PodKey pod,
    String podUid,
    String containerName,
    int attempt,
    Instant startedAt,
    String configHash) {
  /** By pod, then container name, then attempt: the order every runtime lists what it owns in. */
  public static final Comparator<ContainerHandle> BY_POD_CONTAINER_ATTEMPT =
      Comparator.comparing(ContainerHandle::pod)
          .thenComparing(ContainerHandle::containerName)
          .thenComparingInt(ContainerHandle::attempt);

  public ContainerHandle {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(pod, "pod");
    Objects.requireNonNull(podUid, "podUid");
    Objects.requireNonNull(containerName, "containerName");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(configHash, "configHash");
  }
}
