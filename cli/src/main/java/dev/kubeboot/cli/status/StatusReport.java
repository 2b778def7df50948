package dev.kubeboot.cli.status;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything `kubeboot status` reports.
 *
 * @param runnerRunning whether a runner answers on its status port
 * @param certificateWarnings certificates that expire within 30 days (or already have)
 */
public record StatusReport(
    boolean runnerRunning,
    Optional<Long> runnerPid,
    Optional<Duration> runnerUptime,
    String runtime,
    String manifestPath,
    List<String> manifestErrors,
    List<ComponentReport> components,
    List<String> certificateWarnings) {
  public StatusReport {
    manifestErrors = List.copyOf(manifestErrors);
    components = List.copyOf(components);
    certificateWarnings = List.copyOf(certificateWarnings);
  }

  /** Healthy when the runner runs and every component present is healthy and ready. */
  public boolean healthy() {
    return runnerRunning
        && !components.isEmpty()
        && components.stream().allMatch(c -> c.healthy() && c.ready());
  }
}
