package dev.kubeboot.cli.day2;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunnerStopperTest {
  @TempDir Path tmp;

  @Test
  void noPidFileMeansNoRunner() throws Exception {
    assertThat(RunnerStopper.find(tmp.resolve("runner.pid")))
        .isInstanceOf(RunnerStopper.NoPidFile.class);
  }

  @Test
  void aPidThatIsNoKubebootRunnerIsStale() throws Exception {
    Path pid = tmp.resolve("runner.pid");
    Files.writeString(pid, ProcessHandle.current().pid() + "\n");
    assertThat(RunnerStopper.find(pid))
        .isEqualTo(new RunnerStopper.Stale(ProcessHandle.current().pid()));
    Files.writeString(pid, "not a pid\n");
    assertThat(RunnerStopper.find(pid)).isInstanceOf(RunnerStopper.Stale.class);
  }

  @Test
  void aRunnerThatHonoursSigtermStopsWithoutSigkill() throws Exception {
    Process fake = FakeRunner.start(false);
    try {
      Path pid = tmp.resolve("runner.pid");
      Files.writeString(pid, fake.pid() + "\n");
      var found = RunnerStopper.find(pid);
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
