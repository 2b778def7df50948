package dev.kubeboot.runner.probe;

import dev.kubeboot.runner.pod.ProbeTiming;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One probe of one container run, as pure data: when it is due and what it says after thresholds. A
 * worker asks {@link #isDue}, runs the probe, and keeps the value {@link #record} returns; no
 * threads, no clock inside, so it is tested without sleeping.
 *
 * <p>As the kubelet: the first probe is due {@code initialDelay} after the container started, then
 * every {@code period} after a probe began. The verdict starts as success for liveness, failure for
 * readiness and unknown for startup; it flips only after {@code successThreshold} consecutive
 * successes or {@code failureThreshold} consecutive failures. A startup probe is finished by its
 * first success; a liveness or startup probe that reaches failure asks for a restart and is
 * finished too (a new container run starts a new schedule).
 *
 * @param lastSuccess the latest raw result (meaningless while {@code run} is 0)
 * @param run how many consecutive probes gave {@code lastSuccess}
 * @param lastMessage the latest result's message, for status
 */
public record ProbeSchedule(
    ProbeKind kind,
    ProbeTiming timing,
    ProbeStatus status,
    Instant nextDue,
    boolean lastSuccess,
    int run,
    String lastMessage) {
  public ProbeSchedule {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(timing, "timing");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(nextDue, "nextDue");
    Objects.requireNonNull(lastMessage, "lastMessage");
  }

  /** The schedule of a container run that started at {@code containerStartedAt}. */
  public static ProbeSchedule start(
      ProbeKind kind, ProbeTiming timing, Instant containerStartedAt) {
    ProbeStatus initial =
        switch (kind) {
          case LIVENESS -> ProbeStatus.SUCCESS;
          case READINESS -> ProbeStatus.FAILURE;
          case STARTUP -> ProbeStatus.UNKNOWN;
        };
    return new ProbeSchedule(
        kind, timing, initial, containerStartedAt.plus(timing.initialDelay()), false, 0, "");
  }

  public boolean isDue(Instant now) {
    return !finished() && !now.isBefore(nextDue);
  }

  /** How long until the next probe; zero when due, {@link Optional#empty()} when finished. */
  public Optional<Duration> untilDue(Instant now) {
    if (finished()) {
      return Optional.empty();
    }
    Duration d = Duration.between(now, nextDue);
    return Optional.of(d.isNegative() ? Duration.ZERO : d);
  }

  /**
   * The schedule after one probe.
   *
   * @param probeStartedAt when the probe began: the next is due one period later
   */
  public ProbeSchedule record(ProbeResult result, Instant probeStartedAt) {
    boolean success = result.success();
    int newRun = run > 0 && lastSuccess == success ? run + 1 : 1;
    ProbeStatus newStatus = status;
    if (success && newRun >= Math.max(1, timing.successThreshold())) {
      newStatus = ProbeStatus.SUCCESS;
    } else if (!success && newRun >= Math.max(1, timing.failureThreshold())) {
      newStatus = ProbeStatus.FAILURE;
    }
    return new ProbeSchedule(
        kind,
        timing,
        newStatus,
        probeStartedAt.plus(timing.period()),
        success,
        newRun,
        result.message());
  }

  /** No more probes for this container run: startup succeeded, or a restart is due. */
  public boolean finished() {
    return (kind == ProbeKind.STARTUP && status == ProbeStatus.SUCCESS) || restartNeeded();
  }

  /**
   * A liveness or startup probe failed past its threshold: the container is to be killed and
   * restarted.
   */
  public boolean restartNeeded() {
    return kind != ProbeKind.READINESS && status == ProbeStatus.FAILURE;
  }

  /**
   * Whether a liveness or readiness probe may run yet: not while the container's startup probe (if
   * it has one) has not succeeded.
   */
  public static boolean startupGateOpen(Optional<ProbeSchedule> startup) {
    return startup.map(s -> s.status() == ProbeStatus.SUCCESS).orElse(true);
  }
}
