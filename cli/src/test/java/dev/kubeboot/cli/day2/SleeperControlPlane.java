package dev.kubeboot.cli.day2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeboot.runner.RunnerSpec;
import dev.kubeboot.runner.Runners;
import dev.kubeboot.runner.StaticPodRunner;
import dev.kubeboot.runner.pod.PodKey;
import dev.kubeboot.runner.status.ContainerState;
import dev.kubeboot.runner.status.ContainerStatus;
import dev.kubeboot.runner.status.PodStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The four control-plane components as `sleep` pods on node n1, run by a real runner started
 * in-process (host-process runtime): what restart-related commands are tested against.
 */
final class SleeperControlPlane {
  static final List<String> COMPONENTS =
      List.of("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler");

  private SleeperControlPlane() {}

  /** Writes one `sleep` pod manifest per component into {@code manifests}. */
  static void writeManifests(Path manifests) throws IOException {
    Files.createDirectories(manifests);
    for (String component : COMPONENTS) {
      Files.writeString(manifests.resolve(component + ".yaml"), sleeperPod(component));
    }
  }

  private static String sleeperPod(String component) {
    return """
        apiVersion: v1
        kind: Pod
        metadata:
          name: %s
          namespace: kube-system
        spec:
          hostNetwork: true
          terminationGracePeriodSeconds: 2
          containers:
          - name: %s
            image: registry.k8s.io/%s:v1.34.0
            command: ["sleep", "3600"]
        """
        .formatted(component, component, component);
  }

  /** The mirror key of {@code component}'s pod on n1. */
  static PodKey key(String component) {
    return new PodKey("kube-system", component + "-n1");
  }

  /**
   * A runner of {@code manifests} keeping its state in {@code runnerDir}, its status server on a
   * free port, returned once every component runs.
   */
  static StaticPodRunner start(Path manifests, Path runnerDir) throws Exception {
    StaticPodRunner runner =
        Runners.start(
            RunnerSpec.builder(manifests, "n1", "127.0.0.1", runnerDir)
                .statusPort(0)
                .runtime("process")
                .build());
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (restartCounts(runner).values().stream().anyMatch(n -> n < 0)) {
      assertThat(System.nanoTime())
          .as("all pods running: %s", restartCounts(runner))
          .isLessThan(deadline);
      Thread.sleep(50);
    }
    assertThat(runner.status().pods())
        .extracting(PodStatus::key)
        .containsAll(COMPONENTS.stream().map(SleeperControlPlane::key).toList());
    return runner;
  }

  /** Each component's restart count, or -1 while it is not running. */
  static Map<String, Integer> restartCounts(StaticPodRunner runner) {
    var counts = new LinkedHashMap<String, Integer>();
    for (String component : COMPONENTS) {
      ContainerStatus c =
          runner.status().pod(key(component)).flatMap(p -> p.container(component)).orElse(null);
      counts.put(
          component,
          c != null && c.state() instanceof ContainerState.Running ? c.restartCount() : -1);
    }
    return counts;
  }
}
