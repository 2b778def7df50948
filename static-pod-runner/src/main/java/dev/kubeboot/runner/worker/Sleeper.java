package dev.kubeboot.runner.worker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Waits until an instant of an injected clock. Backoff and probe schedules are computed as absolute
 * deadlines, so a test clock can be advanced without racing the thread that waits.
 */
public interface Sleeper {
  /** Returns once {@code deadline} has passed on this sleeper's clock. */
  void sleepUntil(Instant deadline) throws InterruptedException;

  /** Real sleeping against {@code clock}. */
  static Sleeper of(Clock clock) {
    return deadline -> {
      Duration left;
      while ((left = Duration.between(clock.instant(), deadline)).isPositive()) {
        Thread.sleep(left);
      }
    };
  }
}
