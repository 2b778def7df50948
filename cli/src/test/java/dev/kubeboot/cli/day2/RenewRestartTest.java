package dev.kubeboot.cli.day2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeboot.runner.StaticPodRunner;
import java.nio.file.Path;
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
  private static final List<String> COMPONENTS = SleeperControlPlane.COMPONENTS;

  @TempDir static Path tmp;
  private static Node node;
  private StaticPodRunner runner;

  @BeforeAll
  static void initNode() throws Exception {
    node = Node.init(tmp.resolve("node"), "");
    SleeperControlPlane.writeManifests(node.manifests);
  }

  @BeforeEach
  void startRunner() throws Exception {
    runner = SleeperControlPlane.start(node.manifests, node.kubernetesDir.resolve("runner"));
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
