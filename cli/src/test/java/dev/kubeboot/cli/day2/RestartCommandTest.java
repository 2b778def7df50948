package dev.kubeboot.cli.day2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeboot.runner.RunnerSpec;
import dev.kubeboot.runner.Runners;
import dev.kubeboot.runner.StaticPodRunner;
import dev.kubeboot.runner.pod.PodKey;
import dev.kubeboot.runner.status.ContainerState;
import dev.kubeboot.runner.status.ContainerStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * kubeboot restart against a real runner started in-process (host-process runtime) whose manifests
 * are `sleep` pods named like the control plane's; each test has a runner of its own, since a
 * restart keeps crash backoff.
 */
@Timeout(120)
class RestartCommandTest {
  private static final List<String> COMPONENTS =
      List.of("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler");

  @TempDir Path tmp;
  private StaticPodRunner runner;

  private Path kubernetesDir() throws Exception {
    Path dir = tmp.resolve("kubernetes");
    Files.createDirectories(dir.resolve("manifests"));
    for (String component : COMPONENTS) {
      Files.writeString(dir.resolve("manifests/" + component + ".yaml"), sleeperPod(component));
    }
    return dir;
  }

  private void startRunner(Path dir) throws Exception {
    runner =
        Runners.start(
            RunnerSpec.builder(dir.resolve("manifests"), "n1", "127.0.0.1", dir.resolve("runner"))
                .statusPort(0)
                .runtime("process")
                .build());
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (restartCounts().values().stream().anyMatch(n -> n < 0)) {
      assertThat(System.nanoTime()).as("all pods running").isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  @AfterEach
  void stopRunner() throws InterruptedException {
    if (runner != null) {
      runner.shutdown(true);
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

  /** Each component's restart count, or -1 while it is not running. */
  private Map<String, Integer> restartCounts() {
    var counts = new LinkedHashMap<String, Integer>();
    for (String component : COMPONENTS) {
      ContainerStatus c =
          runner
              .status()
              .pod(new PodKey("kube-system", component + "-n1"))
              .flatMap(p -> p.container(component))
              .orElse(null);
      counts.put(
          component,
          c != null && c.state() instanceof ContainerState.Running ? c.restartCount() : -1);
    }
    return counts;
  }

  private Node.Result restart(Path dir, String... args) {
    var all = new ArrayList<>(List.of("restart"));
    all.addAll(List.of(args));
    all.addAll(List.of("--kubernetes-dir", dir.toString()));
    if (runner != null) {
      all.addAll(List.of("--status-port", String.valueOf(runner.statusAddress().getPort())));
    }
    return NodeLess.run(all.toArray(String[]::new));
  }

  @Test
  void restartsTheNamedPodGracefullyAndWaitsUntilItRunsAgain() throws Exception {
    Path dir = kubernetesDir();
    startRunner(dir);
    Map<String, Integer> before = restartCounts();

    Node.Result r = restart(dir, "kube-apiserver");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .isEqualTo(
            """
            [restart] Restarting static Pod "kube-apiserver-n1"
            [restart] Restarted static Pod "kube-apiserver-n1"
            """);
    Map<String, Integer> after = restartCounts();
    for (String component : COMPONENTS) {
      int expected = before.get(component) + (component.equals("kube-apiserver") ? 1 : 0);
      assertThat(after.get(component)).as(component).isEqualTo(expected);
    }
  }

  @Test
  void allRestartsEveryControlPlanePodOnce() throws Exception {
    Path dir = kubernetesDir();
    startRunner(dir);
    Map<String, Integer> before = restartCounts();

    Node.Result r = restart(dir, "all");

    assertThat(r.code()).as(r.err()).isZero();
    for (String component : COMPONENTS) {
      assertThat(r.out())
          .containsOnlyOnce("[restart] Restarted static Pod \"" + component + "-n1\"");
      assertThat(restartCounts().get(component)).as(component).isEqualTo(before.get(component) + 1);
    }
  }

  @Test
  void aSecondRestartWaitsForTheCrashBackoffAndSaysSoWhenTheTimeoutIsShorter() throws Exception {
    Path dir = kubernetesDir();
    startRunner(dir);
    assertThat(restart(dir, "etcd").code()).as("the first restart is at once").isZero();

    // The next one waits the first backoff step, 10 s: longer than the timeout given.
    Node.Result r = restart(dir, "etcd", "--timeout", "3s");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("[restart] Restarting static Pod \"etcd-n1\"");
    assertThat(r.err())
        .contains("static Pod(s) etcd-n1 did not run again within 3s of the restart request")
        .contains("crash backoff");
  }

  @Test
  void withoutTheRunnerItFailsSayingTheRunnerIsNotRunning() throws Exception {
    Path dir = kubernetesDir();

    Node.Result r = restart(dir, "kube-scheduler", "--status-port", "1");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .contains("the runner is not running: nothing answers on http://127.0.0.1:1")
        .contains("Start it");
    assertThat(r.out()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "an unknown component | kube-proxy | COMPONENT \"kube-proxy\" is not a control-plane"
            + " component: use one of etcd, kube-apiserver, kube-controller-manager,"
            + " kube-scheduler or all",
        "no component | --timeout=1s | Missing required parameter: 'COMPONENT'",
        "a bad timeout | etcd,--timeout=soon | --timeout soon: not a positive duration",
      })
  void badInputIsAUsageErrorNamingTheArgument(String name, String args, String message)
      throws Exception {
    Path dir = kubernetesDir();
    Node.Result r = restart(dir, args.split(","));
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains(message);
    assertThat(r.out()).isEmpty();
  }

  @Test
  void allWithNoManifestsIsAUsageErrorNamingTheDirectory() throws Exception {
    Path dir = tmp.resolve("empty");
    Node.Result r = restart(dir, "all");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("all: no control-plane manifest in " + dir.resolve("manifests"));
  }
}
