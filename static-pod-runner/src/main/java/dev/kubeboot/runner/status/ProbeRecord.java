package dev.kubeboot.runner.status;

import dev.kubeboot.runner.pod.PodKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The latest result of one probe of a running container, as the runner's status endpoint serves it,
 * so that a reader (kubeboot status) can use the runner's own probing instead of probing again.
 *
 * @param podUid the pod's config hash: a result of an older version of the pod is not its result
 * @param containerId the container instance the probe ran against
 * @param probe Startup, Liveness or Readiness
 * @param message why it failed; the prober's own words when it succeeded (often empty)
 * @param time when the probe finished
 * @param latency how long the probe took
 * @param period the probe's period: the next result is due by {@code time + period + timeout}
 * @param timeout the probe's timeout
 */
public record ProbeRecord(
    PodKey pod,
    String podUid,
    String container,
    String containerId,
    String probe,
    boolean success,
    String message,
    Instant time,
    Duration latency,
    Duration period,
    Duration timeout) {
  // Slack for the probe schedule's own delays (a late wake-up, a busy prober).
  private static final Duration SCHEDULE_SLACK = Duration.ofSeconds(1);

  public ProbeRecord {
    Objects.requireNonNull(pod, "pod");
    Objects.requireNonNull(podUid, "podUid");
    Objects.requireNonNull(container, "container");
    Objects.requireNonNull(containerId, "containerId");
    Objects.requireNonNull(probe, "probe");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(latency, "latency");
    Objects.requireNonNull(period, "period");
    Objects.requireNonNull(timeout, "timeout");
  }

  /**
   * Whether this is still the probe's latest word at {@code now}: the next result is not overdue (a
   * probe that has not answered within its period and timeout says nothing about the present).
   */
  public boolean freshAt(Instant now) {
    return !now.isBefore(time.minus(SCHEDULE_SLACK))
        && !now.isAfter(time.plus(period).plus(timeout).plus(SCHEDULE_SLACK));
  }
}
