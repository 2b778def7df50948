package dev.kubeboot.runner.pod;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A liveness, readiness or startup probe.
 *
 * @param terminationGracePeriod the probe's own {@code terminationGracePeriodSeconds}, used instead
 *     of the pod's when a liveness or startup failure kills the container
 */
public record Probe(
    ProbeAction action, ProbeTiming timing, Optional<Duration> terminationGracePeriod) {
  public Probe {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(timing, "timing");
    Objects.requireNonNull(terminationGracePeriod, "terminationGracePeriod");
  }
}
