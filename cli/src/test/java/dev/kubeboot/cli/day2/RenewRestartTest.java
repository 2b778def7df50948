package dev.kubeboot.cli.day2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeboot.runner.RunnerSpec;
import dev.kubeboot.runner.Runners;
import dev.kubeboot.runner.StaticPodRunner;
import dev.kubeboot.runner.pod.PodKey;
import dev.kubeboot.runner.status.ContainerState;
import dev.kubeboot.runner.status.ContainerStatus;
import dev.kubeboot.runner.status.PodStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * `certs renew` against a real runner started in-process (host-process runtime) whose manifests are
 * `sleep` pods named like the control plane's. Each test gets a runner of its own: restarts keep
 * crash backoff, so a second restart of a pod within minutes would wait for it.
 */
@Timeout(120)
class RenewRestartTest {
  private static final List<String> COMPONENTS =
      List.of("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler");

  @TempDir static Path tmp;
  private static Node node;
  private StaticPodRunner runner;

  @BeforeAll
  static void initNode() throws Exception {
    node = Node.init(tmp.resolve("node"), "");
    for (String component : COMPONENTS) {
      Files.writeString(node.manifests.resolve(component + ".yaml"), sleeperPod(component));
    }
  }

  @BeforeEach
  void startRunner() throws Exception {
    runner =
        Runners.start(
            RunnerSpec.builder(
                    node.manifests, "n1", "127.0.0.1", node.kubernetesDir.resolve("runner"))
                .statusPort(0)
                .runtime("process")
                .build());
    awaitAllRunning();
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

  private static PodKey key(String component) {
    return new PodKey("kube-system", component + "-n1");
  }

  /** Each component's restart count, or -1 while it is not running. */
  private Map<String, Integer> restartCounts() {
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

  private void awaitAllRunning() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (restartCounts().values().stream().anyMatch(n -> n < 0)) {
      assertThat(System.nanoTime())
          .as("all pods running: %s", restartCounts())
          .isLessThan(deadline);
      Thread.sleep(50);
    }
    assertThat(runner.status().pods())
        .extracting(PodStatus::key)
        .containsAll(COMPONENTS.stream().map(RenewRestartTest::key).toList());
  }

  private Node.Result renew(String... args) {
    var all = new java.util.ArrayList<>(List.of("certs", "renew"));
    all.addAll(List.of(args));
    all.addAll(List.of("--status-port", String.valueOf(runner.statusAddress().getPort())));
    return node.onNode(all.toArray(String[]::new));
  }

  static Stream<Arguments> readers() {
    return Stream.of(
        Arguments.of("apiserver restarts kube-apiserver", "apiserver", List.of("kube-apiserver")),
        Arguments.of(
            "apiserver-kubelet-client restarts kube-apiserver",
            "apiserver-kubelet-client",
            List.of("kube-apiserver")),
        Arguments.of(
            "front-proxy-client restarts kube-apiserver",
            "front-proxy-client",
            List.of("kube-apiserver")),
        Arguments.of(
            "apiserver-etcd-client restarts kube-apiserver",
            "apiserver-etcd-client",
            List.of("kube-apiserver")),
        Arguments.of("etcd-server restarts etcd", "etcd-server", List.of("etcd")),
        Arguments.of("etcd-peer restarts etcd", "etcd-peer", List.of("etcd")),
        Arguments.of(
            "controller-manager.conf restarts kube-controller-manager",
            "controller-manager.conf",
            List.of("kube-controller-manager")),
        Arguments.of(
            "scheduler.conf restarts kube-scheduler", "scheduler.conf", List.of("kube-scheduler")),
        Arguments.of("admin.conf restarts nothing", "admin.conf", List.of()),
        Arguments.of("super-admin.conf restarts nothing", "super-admin.conf", List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("readers")
  void renewingRestartsExactlyThePodsThatReadTheCertificate(
      String sentence, String cert, List<String> restarted) throws Exception {
    Map<String, Integer> before = restartCounts();

    Node.Result result = renew(cert);

    assertThat(result.code()).as(result.err()).isZero();
    Map<String, Integer> after = restartCounts();
    for (String component : COMPONENTS) {
      if (restarted.contains(component)) {
        assertThat(result.out()).contains("[renew] Restarted static Pod \"" + component + "-n1\"");
        assertThat(after.get(component)).as(component).isEqualTo(before.get(component) + 1);
      } else {
        assertThat(result.out()).doesNotContain("static Pod \"" + component + "-n1\"");
        assertThat(after.get(component)).as(component).isEqualTo(before.get(component));
      }
    }
    assertThat(result.out()).doesNotContain("You must restart");
  }

  @Test
  void renewingAllRestartsEveryControlPlanePodOnce() throws Exception {
    Map<String, Integer> before = restartCounts();

    Node.Result result = renew("all");

    assertThat(result.code()).as(result.err()).isZero();
    for (String component : COMPONENTS) {
      assertThat(result.out())
          .containsOnlyOnce("[renew] Restarted static Pod \"" + component + "-n1\"");
      assertThat(restartCounts().get(component)).as(component).isEqualTo(before.get(component) + 1);
    }
  }

  @Test
  void noRestartOnlySaysHowToRestartThroughTheRunner() throws Exception {
    Map<String, Integer> before = restartCounts();

    Node.Result result = renew("apiserver", "--no-restart");

    assertThat(result.code()).as(result.err()).isZero();
    assertThat(result.out())
        .contains("You must restart kube-apiserver, so that they can use the new certificates.")
        .contains(
            "curl --unix-socket "
                + runner.controlSocket()
                + " -X POST http://runner/pods/kube-system/kube-apiserver-n1/restart")
        .doesNotContain("[renew] Restarted");
    Thread.sleep(300);
    assertThat(restartCounts()).isEqualTo(before);
  }

  @Test
  void aRunnerOnAnotherPortIsNotAskedAndTheManualWayIsPrinted() throws Exception {
    Map<String, Integer> before = restartCounts();
    int unused;
    try (var socket = new java.net.ServerSocket(0)) {
      unused = socket.getLocalPort();
    }

    Node.Result result =
        node.onNode("certs", "renew", "scheduler.conf", "--status-port", String.valueOf(unused));

    assertThat(result.code()).as(result.err()).isZero();
    assertThat(result.out())
        .contains("You must restart kube-scheduler,")
        .contains(
            "No runner serving "
                + node.manifests.toAbsolutePath().normalize()
                + " answers on http://127.0.0.1:"
                + unused)
        .contains("mv " + node.manifests.resolve("kube-scheduler.yaml") + " ");
    assertThat(restartCounts()).isEqualTo(before);
  }
}
