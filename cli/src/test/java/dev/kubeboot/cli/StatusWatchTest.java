package dev.kubeboot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeboot.cli.status.ComponentReport;
import dev.kubeboot.cli.status.StatusReport;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** status --watch: one update redrawn in place on a terminal, appended as a log elsewhere. */
class StatusWatchTest {
  private static final Instant NOW = Instant.parse("2026-12-05T23:40:07Z");

  private static StatusCommand command() {
    var context =
        new CliContext(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    var command = new StatusCommand(context, Clock.fixed(NOW, ZoneOffset.UTC));
    command.output = "table";
    command.interval = 2;
    return command;
  }

  private static StatusReport report() {
    return new StatusReport(
        false,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        "-",
        "/etc/kubernetes/manifests",
        "-",
        List.of(),
        List.<ComponentReport>of(),
        0,
        List.of(),
        Optional.empty());
  }

  @Test
  void onATerminalEachUpdateClearsTheScreenAndStartsWithTheTime() throws Exception {
    String frame = command().frame(report(), NOW, true);
    assertThat(frame)
        .startsWith(
            "\u001b[H\u001b[2J" + "Every 2s: kubeboot status    2026-12-05 23:40:07 Z\n\nCOMPONENT")
        .contains("Control plane: NOT healthy\n")
        .endsWith("Control plane: NOT healthy\n");
  }

  @Test
  void elsewhereUpdatesFollowEachOtherWithTheTimeAndNoControlCharacters() throws Exception {
    String frame = command().frame(report(), NOW, false);
    assertThat(frame)
        .startsWith("Every 2s: kubeboot status    2026-12-05 23:40:07 Z\n\nCOMPONENT")
        .endsWith("Control plane: NOT healthy\n\n")
        .doesNotContain("\u001b");
  }

  @Test
  void aBadIntervalIsAUsageError() {
    var out = new StringWriter();
    var err = new StringWriter();
    int code =
        Main.run(
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            "status",
            "--watch",
            "--interval",
            "0");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("--interval 0: give a number of seconds, 1 or more");
  }
}
