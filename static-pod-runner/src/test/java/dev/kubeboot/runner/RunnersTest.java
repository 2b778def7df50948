package dev.kubeboot.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kubeboot.runner.fs.UntrustedPathException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
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

  @Test
  void aStateDirectoryNobodyOwnsIsRefusedBeforeTheRunnerStartsOrItsLogIsOpened() throws Exception {
    assumeTrue(
        (int) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0,
        "the attack needs root, to act as another user");
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx--x--x"));
    Files.createDirectories(tmp.resolve("manifests"));
    Path state = Files.createDirectories(tmp.resolve("state"));
    Path victim = Files.writeString(tmp.resolve("victim"), "precious");
    Files.setOwner(
        state,
        state.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
    // What nobody, owning the state directory, could do: aim root's log append at a file.
    asNobody("ln", "-s", victim.toString(), state.resolve("runner.log").toString());
    RunnerSpec spec =
        RunnerSpec.builder(tmp.resolve("manifests"), "n1", "127.0.0.1", state)
            .statusPort(freePort())
            .runtime("process")
            .build();

    assertThatThrownBy(() -> Runners.startDetached(spec, launcher()))
        .isInstanceOf(UntrustedPathException.class)
        .hasMessageContaining(state.toString());
    assertThatThrownBy(() -> Runners.start(spec)).isInstanceOf(UntrustedPathException.class);

    assertThat(victim).hasContent("precious");
    assertThat(state.resolve(RunnerPidFile.FILE_NAME)).doesNotExist();
    assertThat(RunnerClient.of(spec).status()).isEmpty();
  }

  private static void asNobody(String... command) throws Exception {
    var line =
        new ArrayList<>(
            List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"));
    line.addAll(List.of(command));
    Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(String.join(" ", line) + ": " + out).isZero();
  }
}
