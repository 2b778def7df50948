package dev.kubeboot.runner.pod;

import java.time.Duration;

/**
 * A probe's schedule; kubelet defaults: delay 0, period 10 s, timeout 1 s, success 1, failure 3.
 */
public record ProbeTiming(
    Duration initialDelay,
    Duration period,
    Duration timeout,
    int successThreshold,
    int failureThreshold) {
  public static final ProbeTiming DEFAULTS =
      new ProbeTiming(Duration.ZERO, Duration.ofSeconds(10), Duration.ofSeconds(1), 1, 3);
}
