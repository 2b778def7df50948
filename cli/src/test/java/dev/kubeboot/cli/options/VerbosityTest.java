package dev.kubeboot.cli.options;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeboot.cli.ExitCodes;
import dev.kubeboot.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VerbosityTest {
  @TempDir Path tmp;

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "no flag: nothing | version | ",
        "-v N | -v 4 certs | 4",
        "--v=N as kubeadm writes it | certs --v=5 | 5",
        "--v N | config --v 2 | 2",
        "-vN | status -v3 | 3",
        "-v=N | status -v=1 | 1",
        "the last one wins, as in picocli | -v 1 status -v 6 | 6",
        "not a number is left to picocli | -v x | ",
        "after -- it is an argument | logs -- -v 4 | ",
      })
  void theEntryPointReadsTheLevelAsPicocliWill(String name, String args, Integer expected) {
    assertThat(Verbosity.fromArgs(Arrays.asList(args.split(" "))))
        .isEqualTo(Optional.ofNullable(expected));
  }

  @ParameterizedTest(name = "-v {0} logs at {1}")
  @CsvSource({"0, info", "1, debug", "4, debug", "5, trace", "9, trace"})
  void theLevelFollowsKubeadmsVerbosityScale(int verbosity, String level) {
    assertThat(Verbosity.logLevel(verbosity)).isEqualTo(level);
  }

  record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    var out = new StringWriter();
    var err = new StringWriter();
    int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void everyCommandTakesIt() {
    for (List<String> command :
        List.of(
            List.of("version", "-o", "short"),
            List.of("config", "print", "init-defaults"),
            List.of("completion", "bash"))) {
      var args = new java.util.ArrayList<>(command);
      args.add("--v=4");
      Result r = run(args.toArray(String[]::new));
      assertThat(r.code()).as(command + ": " + r.err()).isZero();
    }
  }

  @Test
  void fromFiveAnErrorComesWithItsStackTrace() {
    Path missing = tmp.resolve("missing");
    Result quiet =
        run("certs", "check-expiration", "--kubernetes-dir", missing.toString(), "--config", "x");
    Result loud =
        run(
            "certs",
            "check-expiration",
            "--kubernetes-dir",
            missing.toString(),
            "--config",
            "x",
            "-v",
            "5");
    assertThat(quiet.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(quiet.err()).doesNotContain("\tat ");
    assertThat(loud.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(loud.err()).contains("\tat dev.kubeboot.");
  }

  @Test
  void aNegativeLevelIsAUsageError() {
    Result r = run("version", "-v", "-1");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("-v -1 is not a verbosity");
  }
}
