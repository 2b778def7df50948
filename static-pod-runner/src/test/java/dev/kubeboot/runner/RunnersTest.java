package dev.kubeboot.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A runner started as a process of its own, from the spec's flags. */
@Timeout(120)
class RunnersTest {
  @TempDir Path tmp;

  private static List<String> launcher() {
    return List.of(
        ProcessHandle.current().info().command().orElse("java"),
        "-cp",
        System.getProperty("java.class.path"),
        DetachedRunnerMain.class.getName());
  }

  private static int freePort() throws Exception {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Test
  void aDetachedRunnerReturnsOnceAClientTrustsIt() throws Exception {
    Files.createDirectories(tmp.resolve("manifests"));
    RunnerSpec spec =
        RunnerSpec.builder(tmp.resolve("manifests"), "n1", "127.0.0.1", tmp.resolve("state"))
            .statusPort(freePort())
            .runtime("process")
            .build();

    Runners.Detached detached = Runners.startDetached(spec, launcher());
    try {
      RunnerClient.Identity identity = RunnerClient.of(spec).identify(spec.manifestPath());
      assertThat(identity)
          .isInstanceOfSatisfying(
              RunnerClient.Serving.class,
              s -> assertThat(s.status().pid()).isEqualTo(detached.pid()));
      assertThat(RunnerPidFile.read(spec.stateDir()).map(RunnerPidFile::pid))
          .contains(detached.pid());
      assertThat(detached.log()).isEqualTo(spec.stateDir().resolve("runner.log"));
      assertThat(spec.controlSocket()).exists();
    } finally {
      Optional<ProcessHandle> process = ProcessHandle.of(detached.pid());
      process.ifPresent(ProcessHandle::destroy);
      process.ifPresent(p -> p.onExit().orTimeout(20, TimeUnit.SECONDS).join());
    }
  }

  @Test
  void aRunnerThatCannotStartIsReportedWithItsLog() throws Exception {
    int taken;
    try (var holder = new ServerSocket(0)) {
      taken = holder.getLocalPort();
      RunnerSpec spec =
          RunnerSpec.builder(tmp.resolve("manifests"), "n1", "127.0.0.1", tmp.resolve("state"))
              .statusPort(taken)
              .runtime("process")
              .build();

      assertThatThrownBy(() -> Runners.startDetached(spec, launcher()))
          .isInstanceOf(RunnerStartException.class)
          .hasMessageContaining("exited with code")
          .hasMessageContaining(spec.stateDir().resolve("runner.log").toString());
      assertThat(Files.readString(spec.stateDir().resolve("runner.log")))
          .contains(String.valueOf(taken));
    }
  }
}
