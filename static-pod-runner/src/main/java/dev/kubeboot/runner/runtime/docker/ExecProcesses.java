package dev.kubeboot.runner.runtime.docker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kills the host process of a timed-out exec, which the Docker API cannot do itself. The engine
 * reports the exec's host pid; by the time it is signalled that pid may belong to another process.
 * So the process is taken as a {@link ProcessHandle} first (which records its start time), then
 * shown to be in the container (its cgroup names the container id), and the handle's kill checks
 * the start time once more just before sending: a pid reused by anything outside the container is
 * never signalled.
 */
final class ExecProcesses {
  private static final Logger LOG = LoggerFactory.getLogger(ExecProcesses.class);

  private final Path proc;

  /**
   * @param proc where /proc is mounted
   */
  ExecProcesses(Path proc) {
    this.proc = proc;
  }

  /**
   * SIGKILLs {@code pid} if it is a process of container {@code containerId}.
   *
   * @return whether the signal was sent
   */
  boolean kill(long pid, String containerId) {
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    if (handle.isEmpty()) {
      return false;
    }
    if (!inContainer(pid, containerId)) {
      LOG.warn(
          "not killing pid {}: it is no longer a process of container {} (its pid was reused)",
          pid,
          containerId);
      return false;
    }
    return handle.get().destroyForcibly();
  }

  /** Whether {@code pid}'s cgroup names the container (cgroupfs or systemd driver, v1 or v2). */
  boolean inContainer(long pid, String containerId) {
    if (containerId.length() < 12) {
      return false;
    }
    try {
      return Files.readAllLines(proc.resolve(Long.toString(pid)).resolve("cgroup")).stream()
          .anyMatch(line -> line.contains(containerId));
    } catch (IOException e) {
      return false;
    }
  }
}
