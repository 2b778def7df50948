package dev.kubeboot.runner.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A timed-out exec's pid, as the engine reported it, is killed only while it is in the container.
 */
class ExecProcessesTest {
  private static final String CONTAINER =
      "4f1c2b3a4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8";

  @Test
  void aPidReusedOutsideTheContainerIsNeverKilled() throws Exception {
    Process stranger = new ProcessBuilder("sleep", "100").start();
    try {
      ExecProcesses exec = new ExecProcesses(Path.of("/proc"));

      assertThat(exec.kill(stranger.pid(), CONTAINER)).isFalse();

      assertThat(stranger.waitFor(300, TimeUnit.MILLISECONDS)).isFalse();
      assertThat(stranger.isAlive()).isTrue();
    } finally {
      stranger.destroyForcibly();
    }
  }

  @Test
  void aProcessIsInTheContainerWhenItsCgroupNamesIt(@TempDir Path proc) throws Exception {
    Files.createDirectories(proc.resolve("10"));
    Files.writeString(proc.resolve("10/cgroup"), "4:memory:/docker/" + CONTAINER + "\n0::/\n");
    Files.createDirectories(proc.resolve("11"));
    Files.writeString(
        proc.resolve("11/cgroup"), "0::/system.slice/docker-" + CONTAINER + ".scope\n");
    Files.createDirectories(proc.resolve("12"));
    Files.writeString(proc.resolve("12/cgroup"), "4:memory:/user.slice\n0::/\n");
    ExecProcesses exec = new ExecProcesses(proc);

    assertThat(exec.inContainer(10, CONTAINER)).isTrue();
    assertThat(exec.inContainer(11, CONTAINER)).isTrue();
    assertThat(exec.inContainer(12, CONTAINER)).isFalse();
    assertThat(exec.inContainer(13, CONTAINER)).isFalse();
    assertThat(exec.inContainer(10, "")).isFalse();
  }
}
