package dev.kubeboot.runner.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeboot.runner.pod.ProbeTiming;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProbeScheduleTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final ProbeTiming TIMING =
      new ProbeTiming(Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(1), 2, 3);

  private static final ProbeResult OK = ProbeResult.success("ok");
  private static final ProbeResult BAD = ProbeResult.failure("bad");

  @Test
  void theFirstProbeWaitsForTheInitialDelayThenEveryPeriod() {
    ProbeSchedule s = ProbeSchedule.start(ProbeKind.READINESS, TIMING, T0);
    assertThat(s.isDue(T0.plusSeconds(9))).isFalse();
    assertThat(s.untilDue(T0.plusSeconds(9))).contains(Duration.ofSeconds(1));
    assertThat(s.isDue(T0.plusSeconds(10))).isTrue();
    s = s.record(OK, T0.plusSeconds(10));
    assertThat(s.nextDue()).isEqualTo(T0.plusSeconds(15));
    assertThat(s.untilDue(T0.plusSeconds(20))).contains(Duration.ZERO);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "readiness starts as failure                         | READINESS | ''        | FAILURE",
        "liveness starts as success                          | LIVENESS  | ''        | SUCCESS",
        "startup starts as unknown                           | STARTUP   | ''        | UNKNOWN",
        "one success is below a success threshold of two     | READINESS | +         | FAILURE",
        "two successes in a row flip readiness               | READINESS | ++        | SUCCESS",
        "a failure between successes restarts the count      | READINESS | +-+       | FAILURE",
        "two failures are below a failure threshold of three | READINESS | ++--      | SUCCESS",
        "three failures in a row flip to failure             | READINESS | ++---     | FAILURE",
        "liveness flips after three failures                 | LIVENESS  | ---       | FAILURE",
        "liveness stays up through two failures              | LIVENESS  | --+--     | SUCCESS",
        "startup succeeds after its success run              | STARTUP   | -++       | SUCCESS",
      })
  void thresholdsNeedConsecutiveResults(
      String name, ProbeKind kind, String results, ProbeStatus expected) {
    ProbeSchedule s = ProbeSchedule.start(kind, TIMING, T0);
    Instant at = T0.plusSeconds(10);
    for (char c : results.toCharArray()) {
      s = s.record(c == '+' ? OK : BAD, at);
      at = at.plusSeconds(5);
    }
    assertThat(s.status()).isEqualTo(expected);
  }

  @Test
  void aFailedLivenessProbeAsksForARestartAndStops() {
    ProbeSchedule s = ProbeSchedule.start(ProbeKind.LIVENESS, TIMING, T0);
    for (int i = 0; i < 3; i++) {
      assertThat(s.restartNeeded()).isFalse();
      s = s.record(BAD, T0.plusSeconds(10 + 5 * i));
    }
    assertThat(s.restartNeeded()).isTrue();
    assertThat(s.finished()).isTrue();
    assertThat(s.isDue(T0.plusSeconds(100))).isFalse();
    assertThat(s.untilDue(T0)).isEmpty();
    assertThat(s.lastMessage()).isEqualTo("bad");
  }

  @Test
  void aFailingReadinessProbeNeverAsksForARestart() {
    ProbeSchedule s = ProbeSchedule.start(ProbeKind.READINESS, TIMING, T0);
    for (int i = 0; i < 10; i++) {
      s = s.record(BAD, T0.plusSeconds(10 + 5 * i));
    }
    assertThat(s.restartNeeded()).isFalse();
    assertThat(s.finished()).isFalse();
  }

  @Test
  void startupGatesTheOtherProbesUntilItSucceedsOnceThenStops() {
    ProbeTiming once =
        new ProbeTiming(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1), 1, 24);
    ProbeSchedule startup = ProbeSchedule.start(ProbeKind.STARTUP, once, T0);
    assertThat(ProbeSchedule.startupGateOpen(Optional.of(startup))).isFalse();
    startup = startup.record(BAD, T0);
    assertThat(ProbeSchedule.startupGateOpen(Optional.of(startup))).isFalse();
    startup = startup.record(OK, T0.plusSeconds(1));
    assertThat(ProbeSchedule.startupGateOpen(Optional.of(startup))).isTrue();
    assertThat(startup.finished()).isTrue();
    assertThat(startup.restartNeeded()).isFalse();
    assertThat(ProbeSchedule.startupGateOpen(Optional.empty())).isTrue();
  }

  @Test
  void aStartupProbePastItsFailureThresholdAsksForARestart() {
    ProbeTiming timing =
        new ProbeTiming(Duration.ZERO, Duration.ofSeconds(10), Duration.ofSeconds(15), 1, 2);
    ProbeSchedule s =
        ProbeSchedule.start(ProbeKind.STARTUP, timing, T0)
            .record(BAD, T0)
            .record(BAD, T0.plusSeconds(10));
    assertThat(s.restartNeeded()).isTrue();
  }
}
