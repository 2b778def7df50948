package dev.kubeboot.runner.runtime.docker;

import static dev.kubeboot.runner.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import dev.kubeboot.runner.ManifestFiles;
import dev.kubeboot.runner.RunnerConfig;
import dev.kubeboot.runner.StaticPodRunner;
import dev.kubeboot.runner.pod.PodKey;
import dev.kubeboot.runner.runtime.EngineRunners;
import dev.kubeboot.runner.runtime.SleeperPod;
import dev.kubeboot.runner.status.ContainerState;
import dev.kubeboot.runner.status.ContainerStatus;
import dev.kubeboot.runner.status.PodStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The real runner over a manifest directory, with containers in a real Docker engine. */
@Timeout(120)
class DockerStaticPodRunnerIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final PodKey SLEEPER = SleeperPod.KEY;
  private static final String SLEEPER_POD = SleeperPod.MANIFEST;
  private static DockerClient docker;

  @TempDir Path dir;
  private StaticPodRunner runner;

  @BeforeAll
  static void engine() {
    docker = DockerEngine.requireEngineAndImages();
  }

  @AfterEach
  void stop() throws Exception {
    if (runner != null) {
      runner.shutdown(true);
    }
    DockerEngine.removeOwned(docker);
  }

  @AfterAll
  static void cleanUpAll() {
    if (docker != null) {
      DockerEngine.removeOwned(docker);
    }
  }

  private StaticPodRunner startRunner() throws Exception {
    RunnerConfig config = EngineRunners.config(dir, "127.0.0.1");
    return EngineRunners.start(
        config,
        new DockerContainerRuntime(
            DockerRuntimeOptions.of(config.stateDir()).withEndpoint(DockerEngine.endpoint())));
  }

  private void writeManifest(String file, String content) throws Exception {
    ManifestFiles.write(dir.resolve("manifests"), file, content);
  }

  private String runningId() {
    PodStatus pod =
        runner.status().pod(SLEEPER).orElseThrow(() -> new AssertionError("no pod " + SLEEPER));
    ContainerStatus c = pod.container("main").orElseThrow();
    assertThat(c.state()).isInstanceOf(ContainerState.Running.class);
    assertThat(c.containerID()).startsWith("docker://");
    String id = c.containerID().substring("docker://".length());
    assertThat(docker.inspectContainerCmd(id).exec().getState().getRunning()).isTrue();
    return id;
  }

  private String awaitRunning() {
    String[] id = new String[1];
    eventually(WAIT, () -> id[0] = runningId());
    return id[0];
  }

  private int ownedContainers(boolean all) {
    return docker
        .listContainersCmd()
        .withShowAll(all)
        .withLabelFilter(
            Map.of(DockerLabels.MANAGED, "true", DockerLabels.POD_NAME, SLEEPER.name()))
        .exec()
        .size();
  }

  @Test
  void manifestsRunAsContainersThatAreRestartedRemovedAndAdopted() throws Exception {
    runner = startRunner();
    writeManifest("sleeper.yaml", SLEEPER_POD);
    String first = awaitRunning();

    docker.killContainerCmd(first).exec();

    SleeperPod.awaitRestartedAfterKill(runner, WAIT, this::runningId, first);
    String second = runningId();

    runner.close();
    runner = startRunner();

    eventually(WAIT, () -> assertThat(runningId()).isEqualTo(second));
    Thread.sleep(500);
    assertThat(runningId()).isEqualTo(second);
    assertThat(ownedContainers(false)).isEqualTo(1);

    // A changed spec is a new pod: the old container goes, one with the new command comes.
    String oldUid = runner.status().pod(SLEEPER).orElseThrow().uid();
    writeManifest("sleeper.yaml", SLEEPER_POD.replace("\"3600\"", "\"3601\""));
    eventually(
        WAIT,
        () -> {
          assertThat(runner.status().pod(SLEEPER).orElseThrow().uid()).isNotEqualTo(oldUid);
          String id = runningId();
          assertThat(docker.inspectContainerCmd(id).exec().getArgs()).contains("3601");
        });
    eventually(WAIT, () -> assertThat(ownedContainers(false)).isEqualTo(1));

    Files.delete(dir.resolve("manifests/sleeper.yaml"));

    eventually(WAIT, () -> assertThat(runner.status().pods()).isEmpty());
    eventually(WAIT, () -> assertThat(ownedContainers(true)).isZero());
  }

  private static final String FAILING_LIVENESS_POD =
      SLEEPER_POD
          + """
              livenessProbe:
                exec:
                  command: ["false"]
                periodSeconds: 1
                failureThreshold: 1
          """;

  @Test
  void aFailingLivenessProbeRestartsTheContainer() throws Exception {
    runner = startRunner();
    writeManifest("sleeper.yaml", FAILING_LIVENESS_POD);
    String first = awaitRunning();

    // The first restart comes at once (no backoff before the first crash), the next after 10 s.
    ContainerStatus[] restarted = new ContainerStatus[1];
    eventually(
        WAIT,
        () -> {
          ContainerStatus c =
              runner.status().pod(SLEEPER).orElseThrow().container("main").orElseThrow();
          assertThat(c.restartCount()).isEqualTo(1);
          assertThat(c.lastState()).isPresent();
          assertThat(c.containerID()).isNotEqualTo("docker://" + first);
          restarted[0] = c;
        });
    ContainerState.Terminated last = restarted[0].lastState().orElseThrow();
    var old = docker.inspectContainerCmd(first).exec().getState();
    assertThat(old.getRunning()).as("the killed container").isFalse();
    // sleep as pid 1 ignores SIGTERM, so the 2 s grace period ends in SIGKILL.
    assertThat(last.exitCode()).isEqualTo(old.getExitCodeLong().intValue()).isEqualTo(137);
    assertThat(last.finishedAt()).isAfter(last.startedAt());
  }
}
