package dev.kubeboot.runner;

import static dev.kubeboot.runner.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubeboot.runner.pod.PodKey;
import dev.kubeboot.runner.runtime.LogNotFoundException;
import dev.kubeboot.runner.runtime.LogQuery;
import dev.kubeboot.runner.status.ContainerState;
import dev.kubeboot.runner.status.PodStatus;
import dev.kubeboot.runner.status.RunnerStatus;
import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client against two real runners (host processes) serving two directories, and against an
 * impostor another user runs on a port: only the runner of the state directory and manifest
 * directory meant is trusted.
 */
@Timeout(120)
class RunnerClientTest {
  private static final PodKey ECHO = new PodKey("default", "echo-n1");
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir static Path tmp;
  private static StaticPodRunner a;
  private static StaticPodRunner b;

  @BeforeAll
  static void startRunners() throws Exception {
    a = start("a");
    b = start("b");
  }

  @AfterAll
  static void stopRunners() throws Exception {
    for (StaticPodRunner r : new StaticPodRunner[] {a, b}) {
      if (r != null) {
        r.shutdown(true);
      }
    }
  }

  private static StaticPodRunner start(String name) throws Exception {
    Path manifests = tmp.resolve(name + "/manifests");
    Files.createDirectories(manifests);
    Files.writeString(
        manifests.resolve("echo.yaml"),
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: echo, namespace: default}
        spec:
          hostNetwork: true
          terminationGracePeriodSeconds: 2
          containers:
          - name: main
            image: example.com/echo:1
            command: ["sh", "-c", "echo hello from %s; exec sleep 3600"]
        """
            .formatted(name));
    StaticPodRunner runner =
        Runners.start(
            RunnerSpec.builder(manifests, "n1", "127.0.0.1", tmp.resolve(name + "/state"))
                .statusPort(0)
                .runtime("process")
                .build());
    eventually(
        WAIT,
        () ->
            assertThat(runner.status().pod(ECHO).map(PodStatus::containerStatuses))
                .hasValueSatisfying(
                    cs ->
                        assertThat(cs.getFirst().state())
                            .isInstanceOf(ContainerState.Running.class)));
    return runner;
  }

  private static RunnerClient client(StaticPodRunner onPortOf, String stateOf) {
    return RunnerClient.of(onPortOf.statusAddress().getPort(), tmp.resolve(stateOf + "/state"));
  }

  @Test
  void theRunnerOfTheStateDirectoryServingTheDirectoryMeantIsServing() throws Exception {
    RunnerClient.Identity identity = client(a, "a").identify(tmp.resolve("a/manifests"));

    assertThat(identity)
        .isInstanceOfSatisfying(
            RunnerClient.Serving.class,
            s ->
                assertThat(s.status().manifestPath())
                    .isEqualTo(a.config().manifestPath().toString()));
  }

  @Test
  void anotherDirectorysRunnerOnThePortIsForeignAndSaysWhatItServes() throws Exception {
    RunnerClient.Identity identity = client(b, "a").identify(tmp.resolve("a/manifests"));

    assertThat(identity)
        .isInstanceOfSatisfying(
            RunnerClient.Foreign.class,
            f ->
                assertThat(f.reason())
                    .contains("serves " + tmp.resolve("b/manifests"))
                    .contains("not " + tmp.resolve("a/manifests")));
  }

  @Test
  void aStateDirectoryWithoutAPidFileTrustsNoRunner() throws Exception {
    Path empty = tmp.resolve("empty-state");
    Files.createDirectories(empty);

    RunnerClient.Identity identity =
        RunnerClient.of(a.statusAddress().getPort(), empty).identify(tmp.resolve("a/manifests"));

    assertThat(identity)
        .isInstanceOfSatisfying(
            RunnerClient.Foreign.class,
            f -> assertThat(f.reason()).contains("no runner.pid").contains(empty.toString()));
  }

  @Test
  void aPidFileOfAProcessThatIsGoneTrustsNoRunner() throws Exception {
    Path state = tmp.resolve("stale-state");
    Files.createDirectories(state);
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    new RunnerPidFile(gone.pid(), java.time.Instant.EPOCH, "0".repeat(64)).write(state);

    RunnerClient.Identity identity =
        RunnerClient.of(a.statusAddress().getPort(), state).identify(tmp.resolve("a/manifests"));

    assertThat(identity)
        .isInstanceOfSatisfying(
            RunnerClient.Foreign.class,
            f -> assertThat(f.reason()).contains("names pid " + gone.pid()).contains("no longer"));
  }

  @Test
  void nothingOnThePortIsAbsent() throws Exception {
    int free;
    try (var socket = new ServerSocket(0)) {
      free = socket.getLocalPort();
    }

    assertThat(RunnerClient.of(free, tmp.resolve("a/state")).identify(tmp.resolve("a/manifests")))
        .isInstanceOf(RunnerClient.Absent.class);
  }

  /**
   * The attack: another user answers on a port with a forged status naming the real runner's pid
   * and manifest directory. The kernel says who holds the port.
   */
  @Test
  void anImpostorOfAnotherUserAnsweringAsTheRunnerIsForeign() throws Exception {
    RunnerStatus real = a.status();
    String forged =
        dev.kubeboot.runner.status.StatusJson.write(
            new RunnerStatus(
                real.pid(),
                real.startTime(),
                "process",
                real.manifestPath(),
                "n1",
                "off",
                List.of(),
                List.of()));
    Path body = tmp.resolve("forged.json");
    Files.writeString(body, forged);
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(body, PosixFilePermissions.fromString("rw-r--r--"));
    int port;
    try (var socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String server =
        """
        import http.server, sys
        body = open(sys.argv[1], 'rb').read()
        class H(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200); self.send_header('Content-Length', str(len(body)))
                self.end_headers(); self.wfile.write(body)
            def log_message(self, *a): pass
        http.server.HTTPServer(('127.0.0.1', int(sys.argv[2])), H).serve_forever()
        """;
    Process impostor =
        new ProcessBuilder(
                "setpriv",
                "--reuid=nobody",
                "--regid=nogroup",
                "--clear-groups",
                "--",
                "/usr/bin/python3",
                "-c",
                server,
                body.toString(),
                String.valueOf(port))
            .redirectErrorStream(true)
            .start();
    try {
      RunnerClient client = RunnerClient.of(port, tmp.resolve("a/state"));
      eventually(WAIT, () -> assertThat(client.status()).isPresent());

      RunnerClient.Identity identity = client.identify(tmp.resolve("a/manifests"));

      assertThat(identity)
          .isInstanceOfSatisfying(
              RunnerClient.Foreign.class,
              f ->
                  assertThat(f.reason())
                      .contains("pid " + real.pid() + " does not hold port " + port));
    } finally {
      impostor.destroyForcibly();
      impostor.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void logsAreReadThroughTheRunnersRuntime() throws Exception {
    RunnerClient client = client(a, "a");
    RunnerStatus status = client.status().orElseThrow();
    PodStatus echo = status.pod(ECHO).orElseThrow();
    var out = new ByteArrayOutputStream();

    eventually(
        WAIT,
        () -> {
          out.reset();
          client.copyLog(status, new LogQuery(ECHO, echo.uid(), "main", false, false), out);
          assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("hello from a\n");
        });
    assertThatThrownBy(
            () -> client.copyLog(status, new LogQuery(ECHO, echo.uid(), "main", true, false), out))
        .isInstanceOf(LogNotFoundException.class)
        .hasMessageContaining("previous container main of pod default/echo-n1");
  }

  @Test
  void theManualRestartCommandNamesTheControlSocket() {
    assertThat(client(a, "a").restartCommand(ECHO))
        .isEqualTo(
            "curl --unix-socket "
                + a.controlSocket()
                + " -X POST http://runner/pods/default/echo-n1/restart");
  }
}
