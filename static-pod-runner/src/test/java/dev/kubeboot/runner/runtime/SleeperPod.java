package dev.kubeboot.runner.runtime;

import static dev.kubeboot.runner.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeboot.runner.StaticPodRunner;
import dev.kubeboot.runner.pod.PodKey;
import dev.kubeboot.runner.status.ContainerState;
import dev.kubeboot.runner.status.ContainerStatus;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * The `sleep` static pod the engine runner ITs (Docker and CRI) run on node1, and what they check
 * when its container is killed.
 */
public final class SleeperPod {
  public static final PodKey KEY = new PodKey("kube-system", "sleeper-node1");

  /** On the node's network, so only the container runtime is under test. */
  public static final String MANIFEST = EnginePods.manifest("sleeper", "[\"sleep\", \"3600\"]");

  private SleeperPod() {}

  /**
   * Waits until the container killed by SIGKILL, {@code first}, has been replaced: restart count 1,
   * its last state exit 137, and {@code runningId} (the id of the running container, asserting it
   * runs) another container.
   */
  public static void awaitRestartedAfterKill(
      StaticPodRunner runner, Duration wait, Callable<String> runningId, String first) {
    eventually(
        wait,
        () -> {
          ContainerStatus c =
              runner.status().pod(KEY).orElseThrow().container("main").orElseThrow();
          assertThat(c.restartCount()).isEqualTo(1);
          assertThat(c.lastState())
              .get()
              .extracting(ContainerState.Terminated::exitCode)
              .isEqualTo(137);
          assertThat(runningId.call()).isNotEqualTo(first);
        });
  }
}
