package dev.kubeboot.runner.runtime.cri;

import static dev.kubeboot.runner.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeboot.runner.ManifestFiles;
import dev.kubeboot.runner.RunnerConfig;
import dev.kubeboot.runner.StaticPodRunner;
import dev.kubeboot.runner.pod.PodKey;
import dev.kubeboot.runner.runtime.EngineRunners;
import dev.kubeboot.runner.runtime.SleeperPod;
import dev.kubeboot.runner.runtime.cri.v1.Cri;
import dev.kubeboot.runner.status.ContainerState;
import dev.kubeboot.runner.status.ContainerStatus;
import dev.kubeboot.runner.status.PodStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The real runner over a manifest directory, with pods in a real containerd over CRI. */
@Timeout(120)
class CriStaticPodRunnerIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final PodKey SLEEPER = SleeperPod.KEY;
  private static final String SLEEPER_POD = SleeperPod.MANIFEST;

  @TempDir Path dir;
  private StaticPodRunner runner;
  private String uid;

  @BeforeAll
  static void containerd() {
    CriEngine.requireContainerd();
  }

  @AfterEach
  void stop() throws Exception {
    if (runner != null) {
      runner.shutdown(true);
    }
    if (uid != null) {
      CriEngine.removePods(List.of(uid));
    }
  }

  private StaticPodRunner startRunner() throws Exception {
    RunnerConfig config = EngineRunners.config(dir, "127.0.0.1");
    return EngineRunners.start(
        config,
        new CriContainerRuntime(
            CriRuntimeOptions.of(config.stateDir())
                .withEndpoint(CriEngine.ENDPOINT)
                .withPodLogsDir(dir.resolve("pods"))));
  }

  private void writeManifest(String file, String content) throws Exception {
    ManifestFiles.write(dir.resolve("manifests"), file, content);
  }

  private String runningId() throws Exception {
    PodStatus pod =
        runner.status().pod(SLEEPER).orElseThrow(() -> new AssertionError("no pod " + SLEEPER));
    ContainerStatus c = pod.container("main").orElseThrow();
    assertThat(c.state()).isInstanceOf(ContainerState.Running.class);
    assertThat(c.containerID()).startsWith("cri://");
    String id = c.containerID().substring("cri://".length());
    assertThat(CriEngine.ctrContainerIds()).contains(id);
    return id;
  }

  private String awaitRunning() {
    String[] id = new String[1];
    eventually(WAIT, () -> id[0] = runningId());
    return id[0];
  }

  private static List<Cri.PodSandbox> sandboxesOf(String uid) {
    return CriEngine.sandboxes(uid);
  }

  @Test
  void manifestsRunInSandboxesThatAreRestartedAdoptedAndRemoved() throws Exception {
    runner = startRunner();
    writeManifest("sleeper.yaml", SLEEPER_POD);
    String first = awaitRunning();
    uid = runner.status().pod(SLEEPER).orElseThrow().uid();
    assertThat(sandboxesOf(uid)).hasSize(1);

    CriEngine.run(Duration.ofSeconds(5), "kill", "-9", Long.toString(CriEngine.taskPid(first)));

    SleeperPod.awaitRestartedAfterKill(runner, WAIT, this::runningId, first);
    String second = runningId();
    assertThat(sandboxesOf(uid)).hasSize(1);

    runner.close();
    runner = startRunner();

    eventually(WAIT, () -> assertThat(runningId()).isEqualTo(second));
    Thread.sleep(500);
    assertThat(runningId()).isEqualTo(second);
    assertThat(sandboxesOf(uid)).hasSize(1);

    Files.delete(dir.resolve("manifests/sleeper.yaml"));

    eventually(WAIT, () -> assertThat(runner.status().pods()).isEmpty());
    eventually(WAIT, () -> assertThat(sandboxesOf(uid)).isEmpty());
    assertThat(CriEngine.ctrContainerIds()).doesNotContain(first, second);
    assertThat(CriEngine.CGROUPS.directories(uid)).noneMatch(Files::exists);
  }

  private static final String FAILING_LIVENESS_POD =
      SLEEPER_POD
          + """
              livenessProbe:
                exec:
                  command: ["cat", "/tmp/not-there"]
                periodSeconds: 1
                failureThreshold: 1
          """;

  @Test
  void aFailingLivenessProbeKillsAndRestartsTheContainerWithBackoff() throws Exception {
    runner = startRunner();
    writeManifest("sleeper.yaml", FAILING_LIVENESS_POD);
    String first = awaitRunning();
    uid = runner.status().pod(SLEEPER).orElseThrow().uid();

    // The first restart comes at once (no backoff before the first crash).
    String[] second = new String[1];
    eventually(
        WAIT,
        () -> {
          ContainerStatus c =
              runner.status().pod(SLEEPER).orElseThrow().container("main").orElseThrow();
          assertThat(c.restartCount()).isEqualTo(1);
          assertThat(c.lastState()).isPresent();
          second[0] = runningId();
          assertThat(second[0]).isNotEqualTo(first);
        });
    ContainerState.Terminated last =
        runner
            .status()
            .pod(SLEEPER)
            .orElseThrow()
            .container("main")
            .orElseThrow()
            .lastState()
            .orElseThrow();
    // The runtime's own record of the killed container: sleep as pid 1 ignores SIGTERM, so the
    // 2 s grace period ends in SIGKILL.
    Cri.ContainerStatus killed = CriEngine.containerStatus(first);
    assertThat(killed.getState()).isEqualTo(Cri.ContainerState.CONTAINER_EXITED);
    assertThat(last.exitCode()).isEqualTo(killed.getExitCode()).isEqualTo(137);
    assertThat(last.finishedAt()).isAfter(last.startedAt());

    // The probe keeps failing in the new container: killed again, restarted after the 10 s backoff.
    eventually(
        Duration.ofSeconds(40),
        () -> {
          ContainerStatus c =
              runner.status().pod(SLEEPER).orElseThrow().container("main").orElseThrow();
          assertThat(c.restartCount()).isEqualTo(2);
          assertThat(runningId()).isNotIn(first, second[0]);
        });
    assertThat(sandboxesOf(uid)).hasSize(1);
  }
}
