package dev.kubeboot.runner.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CrashBackoffTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private final CrashBackoff backoff = new CrashBackoff();
  private final CrashBackoff.Key key = new CrashBackoff.Key("uid", "app", "img:1");

  @Test
  void delaysFromExitToRestartDoubleFromZeroToAFiveMinuteCap() {
    List<Long> delays = new ArrayList<>();
    Instant exit = T0;
    for (int i = 0; i < 9; i++) {
      Instant restart = backoff.restartAt(key, exit);
      delays.add(Duration.between(exit, restart).toSeconds());
      exit = restart.plusSeconds(1);
    }
    assertThat(delays).containsExactly(0L, 10L, 20L, 40L, 80L, 160L, 300L, 300L, 300L);
  }

  @Test
  void anExitMoreThanTenMinutesAfterTheLastRestartStartsOver() {
    Instant exit = T0;
    for (int i = 0; i < 4; i++) {
      exit = backoff.restartAt(key, exit).plusSeconds(1);
    }
    Instant lastRestart = backoff.restartAt(key, exit);
    Instant late = lastRestart.plusSeconds(601);
    assertThat(backoff.restartAt(key, late)).isEqualTo(late);
    assertThat(Duration.between(late.plusSeconds(5), backoff.restartAt(key, late.plusSeconds(5))))
        .isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void anExitExactlyTenMinutesAfterTheLastRestartStillBacksOff() {
    Instant restart = backoff.restartAt(key, T0);
    Instant exit = restart.plusSeconds(600);
    assertThat(Duration.between(exit, backoff.restartAt(key, exit)))
        .isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void aNewImageOrANewPodStartsFromZero() {
    backoff.restartAt(key, T0);
    backoff.restartAt(key, T0.plusSeconds(1));
    assertThat(backoff.restartAt(new CrashBackoff.Key("uid", "app", "img:2"), T0.plusSeconds(2)))
        .isEqualTo(T0.plusSeconds(2));
    assertThat(backoff.restartAt(new CrashBackoff.Key("uid2", "app", "img:1"), T0.plusSeconds(2)))
        .isEqualTo(T0.plusSeconds(2));
  }

  @Test
  void forgettingAPodDropsItsEntries() {
    backoff.restartAt(key, T0);
    backoff.forget("uid");
    assertThat(backoff.restartAt(key, T0.plusSeconds(1))).isEqualTo(T0.plusSeconds(1));
  }

  @ParameterizedTest(name = "{0} s prints as {1}")
  @CsvSource({"10,10s", "40,40s", "80,1m20s", "160,2m40s", "300,5m0s", "3725,1h2m5s"})
  void durationsPrintTheWayGoPrintsThem(long seconds, String expected) {
    assertThat(CrashBackoff.goFormat(Duration.ofSeconds(seconds))).isEqualTo(expected);
  }
}
