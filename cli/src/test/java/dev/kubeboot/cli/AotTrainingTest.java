package dev.kubeboot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The AOT cache's training run: several commands in one JVM, and when it counts as failed. */
class AotTrainingTest {
  @TempDir Path dir;

  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    var out = new StringWriter();
    var err = new StringWriter();
    int code = AotTraining.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void runsEveryCommandInOrderAndALaterFailureStillTrains() {
    // status of a directory with nothing in it exits 1, as at build time where nothing runs
    Result r =
        run(
            "version",
            "-o",
            "short",
            AotTraining.THEN,
            "status",
            "--kubernetes-dir",
            dir.toString(),
            "--status-port",
            "1");
    assertThat(r.code()).isZero();
    assertThat(r.out()).startsWith("v" + Version.kubeboot() + "\n").contains("Control plane:");
    assertThat(r.err())
        .contains("aot training: kubeboot version -o short exited 0")
        .contains("aot training: kubeboot status --kubernetes-dir " + dir + " --status-port 1")
        .contains("exited 1");
  }

  @Test
  void theFirstCommandMustSucceedAndTheRestAreNotRun() {
    Result r =
        run(
            "status",
            "--kubernetes-dir",
            dir.toString(),
            "--status-port",
            "1",
            AotTraining.THEN,
            "version");
    assertThat(r.code()).isEqualTo(ExitCodes.FAILURE);
    assertThat(r.err()).doesNotContain("kubeboot version");
  }

  @Test
  void aUsageErrorOfALaterCommandFailsTheTraining() {
    Result r = run("version", AotTraining.THEN, "status", "--no-such-flag");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("--no-such-flag");
  }

  @Test
  void anEmptyCommandIsAUsageError() {
    assertThat(run().code()).isEqualTo(ExitCodes.USAGE);
    Result r = run(AotTraining.THEN, "version");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("usage: AotTraining");
    assertThat(run("version", AotTraining.THEN).code()).isEqualTo(ExitCodes.USAGE);
  }
}
