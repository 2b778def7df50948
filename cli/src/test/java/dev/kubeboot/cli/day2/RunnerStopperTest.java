package dev.kubeboot.cli.day2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeboot.runner.RunnerPidFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunnerStopperTest {
  @TempDir Path tmp;

  @Test
  void noPidFileMeansNoRunner() throws Exception {
    assertThat(RunnerStopper.find(tmp)).isInstanceOf(RunnerStopper.NoPidFile.class);
  }

  @Test
  void aPidThatIsNoKubebootRunnerIsStale() throws Exception {
    // This JVM: alive and described exactly, but no `kubeboot runner`.
    RunnerPidFile.of(ProcessHandle.current()).write(tmp);
    assertThat(RunnerStopper.find(tmp))
        .isEqualTo(new RunnerStopper.Stale(ProcessHandle.current().pid()));
    Files.writeString(tmp.resolve("runner.pid"), "not a pid\n");
    assertThat(RunnerStopper.find(tmp)).isInstanceOf(RunnerStopper.Stale.class);
  }

  @Test
  void aPidFileWhoseProcessWasReplacedIsStale() throws Exception {
    Process fake = FakeRunner.start(false);
    try {
      var described = RunnerPidFile.of(fake.toHandle());
      // The same pid, but another start: what a reused pid looks like.
      new RunnerPidFile(
              fake.pid(), described.start().minusSeconds(60), described.commandLineSha256())
          .write(tmp);
      assertThat(RunnerStopper.find(tmp)).isEqualTo(new RunnerStopper.Stale(fake.pid()));
    } finally {
      FakeRunner.kill(fake);
    }
  }

  @Test
  void aRunnerThatHonoursSigtermStopsWithoutSigkill() throws Exception {
    Process fake = FakeRunner.start(false);
    try {
      RunnerPidFile.of(fake.toHandle()).write(tmp);
      var found = RunnerStopper.find(tmp);
      assertThat(found).isInstanceOf(RunnerStopper.Running.class);
      boolean killed =
          new RunnerStopper(Duration.ofSeconds(10)).stop(((RunnerStopper.Running) found).process());
      assertThat(killed).isFalse();
      assertThat(fake.exitValue()).isZero();
    } finally {
      FakeRunner.kill(fake);
    }
  }

  @Test
  void aRunnerThatIgnoresSigtermIsKilledAfterTheGracePeriod() throws Exception {
    Process fake = FakeRunner.start(true);
    try {
      long start = System.nanoTime();
      boolean killed = new RunnerStopper(Duration.ofMillis(500)).stop(fake.toHandle());
      assertThat(killed).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isGreaterThanOrEqualTo(Duration.ofMillis(500));
      assertThat(fake.isAlive()).isFalse();
    } finally {
      FakeRunner.kill(fake);
    }
  }
}
