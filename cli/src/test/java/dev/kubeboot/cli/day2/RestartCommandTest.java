package dev.kubeboot.cli.day2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeboot.runner.StaticPodRunner;
import java.nio.file.Path;
import java.util.ArrayList;
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
  private static final List<String> COMPONENTS = SleeperControlPlane.COMPONENTS;

  @TempDir Path tmp;
  private StaticPodRunner runner;

  private Path kubernetesDir() throws Exception {
    Path dir = tmp.resolve("kubernetes");
    SleeperControlPlane.writeManifests(dir.resolve("manifests"));
    return dir;
  }

  private void startRunner(Path dir) throws Exception {
    runner = SleeperControlPlane.start(dir.resolve("manifests"), dir.resolve("runner"));
  }

  @AfterEach
  void stopRunner() throws InterruptedException {
    if (runner != null) {
      runner.shutdown(true);
    }
  }

  private Map<String, Integer> restartCounts() {
    return SleeperControlPlane.restartCounts(runner);
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
