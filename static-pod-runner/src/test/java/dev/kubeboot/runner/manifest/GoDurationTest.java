package dev.kubeboot.runner.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoDurationTest {
  @ParameterizedTest(name = "{0} is {1} ns")
  @CsvSource({
    "4m0s, 240000000000",
    "8760h, 31536000000000000",
    "1h30m, 5400000000000",
    "500ms, 500000000",
    "1.5s, 1500000000",
    "0, 0",
    "-2m, -120000000000",
    "+3s, 3000000000",
    "1us, 1000",
    "1\u00b5s, 1000",
    "1\u03bcs, 1000",
    "7ns, 7",
    ".5m, 30000000000",
    "1h1m1s1ms, 3661001000000",
    "1.m, 60000000000",
    "1h2m3.5s, 3723500000000",
    "250us, 250000",
    "-1s, -1000000000"
  })
  void parsesGoSyntax(String text, long nanos) {
    assertThat(GoDuration.parse(text)).contains(Duration.ofNanos(nanos));
  }

  @ParameterizedTest(name = "\"{0}\" is not a Go duration")
  @ValueSource(
      strings = {
        "",
        "240",
        "4 m",
        "1d",
        "h",
        ".",
        ".s",
        "-",
        "1h-1m",
        "3000000h",
        "1m 0s",
        "1..5s",
        "--1s"
      })
  void rejectsOtherText(String text) {
    assertThat(GoDuration.parse(text)).isEmpty();
  }

  @ParameterizedTest(name = "{0} ns prints as {1}")
  @CsvSource({
    "240000000000, 4m0s",
    "31536000000000000, 8760h0m0s",
    "315360000000000000, 87600h0m0s",
    "86400000000000, 24h0m0s",
    "5400000000000, 1h30m0s",
    "90000000000, 1m30s",
    "500000000, 500ms",
    "1500000000, 1.5s",
    "1500000, 1.5ms",
    "1000, 1\u00b5s",
    "7, 7ns",
    "0, 0s",
    "-60000000000, -1m0s"
  })
  void formatsLikeGo(long nanos, String text) {
    assertThat(GoDuration.format(Duration.ofNanos(nanos))).isEqualTo(text);
    assertThat(GoDuration.parse(text)).contains(Duration.ofNanos(nanos));
  }
}
