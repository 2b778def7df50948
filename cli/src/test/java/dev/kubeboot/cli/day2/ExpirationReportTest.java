package dev.kubeboot.cli.day2;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExpirationReportTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "expired more than a second ago is invalid, -5, <invalid>",
    "expired within the last second counts as now, -1, 0s",
    "seconds below a minute, 59, 59s",
    "minutes below an hour, 3599, 59m",
    "hours below a day, 86399, 23h",
    "days below a year, 31535999, 364d",
    "years, 315360000, 10y",
  })
  void residualTimeIsKubernetesShortHumanDuration(String name, long seconds, String expected) {
    assertThat(ExpirationReport.shortHumanDuration(Duration.ofSeconds(seconds)))
        .isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "a short column is at least 10 wide | a,b,tail | a         b         tail",
        "a wide column is its widest cell plus 3 | abcdefghij,b,tail | abcdefghij   b         tail",
      })
  void columnsAreLaidOutLikeGoTabwriter(String name, String cells, String expected) {
    var out = new StringBuilder();
    ExpirationReport.tabulate(List.of(List.of(cells.split(","))), out);
    assertThat(out.toString()).isEqualTo(expected + "\n");
  }
}
