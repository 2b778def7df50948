package dev.kubeboot.runner.status;

import dev.kubeboot.runner.pod.PodKey;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable snapshot of the whole runner: served on {@code /pods} and written to the state file.
 *
 * @param pid the runner's process id
 * @param runtime the container runtime's name ("process", "docker", ...)
 * @param runtimeEndpoint the engine's socket ("" for host processes), so a client reads logs from
 *     the same engine
 * @param mirror the mirror-pod syncer's state; "off" while there is none
 * @param pods sorted by namespace and name
 * @param manifestErrors sorted by file
 */
public record RunnerStatus(
    long pid,
    Instant startTime,
    String runtime,
    String runtimeEndpoint,
    String manifestPath,
    String nodeName,
    String mirror,
    List<PodStatus> pods,
    List<FileError> manifestErrors) {
  public RunnerStatus {
    Objects.requireNonNull(startTime, "startTime");
    Objects.requireNonNull(runtime, "runtime");
    Objects.requireNonNull(runtimeEndpoint, "runtimeEndpoint");
    Objects.requireNonNull(manifestPath, "manifestPath");
    Objects.requireNonNull(nodeName, "nodeName");
    Objects.requireNonNull(mirror, "mirror");
    pods = pods.stream().sorted(Comparator.comparing(PodStatus::key)).toList();
    manifestErrors = manifestErrors.stream().sorted(Comparator.comparing(FileError::file)).toList();
  }

  /** A status of a runtime without an endpoint (host processes, test fakes). */
  public RunnerStatus(
      long pid,
      Instant startTime,
      String runtime,
      String manifestPath,
      String nodeName,
      String mirror,
      List<PodStatus> pods,
      List<FileError> manifestErrors) {
    this(pid, startTime, runtime, "", manifestPath, nodeName, mirror, pods, manifestErrors);
  }

  public Optional<PodStatus> pod(PodKey key) {
    return pods.stream().filter(p -> p.key().equals(key)).findFirst();
  }
}
