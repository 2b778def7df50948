package dev.kubeboot.runner;

import static dev.kubeboot.runner.Eventually.eventually;
import static dev.kubeboot.runner.TestPods.container;
import static dev.kubeboot.runner.TestPods.pod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeboot.runner.manifest.ManifestSnapshot;
import dev.kubeboot.runner.pod.PodKey;
import dev.kubeboot.runner.pod.StaticPod;
import dev.kubeboot.runner.status.ContainerState;
import dev.kubeboot.runner.status.ContainerStatus;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restart requests reach the pod's worker through the control socket only, and keep crash backoff:
 * a burst of them cannot hold a pod down. Time is the injected clock's; nothing waits for real
 * seconds.
 */
@Timeout(60)
class StaticPodRunnerRestartTest {
  private static final PodKey WEB = new PodKey("kube-system", "web-node1");

  @TempDir Path stateDir;
  private final FakeTime time = new FakeTime();
  private final FakeContainerRuntime runtime = new FakeContainerRuntime(time);
  private final HttpClient http = HttpClient.newHttpClient();
  private StaticPodRunner runner;
  private RunnerClient client;

  @BeforeEach
  void start() throws Exception {
    StaticPod web = pod("web", "uid1", container("app"));
    RunnerConfig config =
        RunnerConfig.of(Path.of("/etc/kubernetes/manifests"), "node1", "10.0.0.5", stateDir)
            .withStatusAddress(new InetSocketAddress("127.0.0.1", 0))
            .withRuntime("fake")
            .withClock(time);
    runner =
        StaticPodRunner.start(
            config,
            runtime,
            new FakeManifestSource(new ManifestSnapshot(Map.of(web.key(), web), List.of())),
            new FakeProber(),
            time);
    client = new RunnerClient(runner.statusAddress(), stateDir, runner.controlSocket());
    awaitRunning(0);
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (runner != null) {
      runner.shutdown(true);
    }
    http.close();
  }

  private ContainerStatus app() {
    return runner.status().pod(WEB).orElseThrow().container("app").orElseThrow();
  }

  private void awaitRunning(int restartCount) {
    eventually(
        () -> {
          assertThat(app().state()).isInstanceOf(ContainerState.Running.class);
          assertThat(app().restartCount()).isEqualTo(restartCount);
          assertThat(runtime.runningCount("app")).isEqualTo(1);
        });
  }

  private void awaitBackOff(String delay) {
    eventually(
        () ->
            assertThat(app().state())
                .isInstanceOfSatisfying(
                    ContainerState.Waiting.class,
                    w -> {
                      assertThat(w.reason()).isEqualTo("CrashLoopBackOff");
                      assertThat(w.message()).startsWith("back-off " + delay + " ");
                    }));
    eventually(() -> assertThat(time.sleepers()).isEqualTo(1));
  }

  @Test
  void aRestartRequestOnTheControlSocketRestartsThePodsContainers() throws Exception {
    assertThat(client.restart(WEB)).isTrue();
    assertThat(client.restart(new PodKey("kube-system", "db-node1"))).isFalse();

    awaitRunning(1);
    assertThat(runtime.events())
        .contains("stop web-node1/app 30s uid1", "start web-node1/app#1 uid1");
  }

  @Test
  void aPostToTheStatusPortIsRefusedAndStopsNothing() throws Exception {
    URI uri =
        URI.create(
            "http://127.0.0.1:"
                + runner.statusAddress().getPort()
                + "/pods/kube-system/web-node1/restart");

    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(runtime.count("stop")).isZero();
    assertThat(app().restartCount()).isZero();
  }

  @Test
  void fifteenRapidRequestsDoNotHoldThePodDown() throws Exception {
    // The first request restarts at once, as a first crash would.
    assertThat(client.restart(WEB)).isTrue();
    awaitRunning(1);

    // A burst: the first kills the container, which now waits 10 s (fake time) as after a second
    // crash; the rest find it stopped or backing off and change nothing.
    for (int i = 0; i < 15; i++) {
      assertThat(client.restart(WEB)).isTrue();
    }
    awaitBackOff("10s");
    assertThat(runtime.count("stop")).isEqualTo(2);

    time.advanceSeconds(10);

    awaitRunning(2);
    assertThat(runtime.count("start")).isEqualTo(3);
  }

  @Test
  void aRequestNeverCutsOrResetsACrashBackOff() throws Exception {
    runtime.exit("app", 1);
    awaitRunning(1);
    runtime.exit("app", 1);
    awaitBackOff("10s");

    for (int i = 0; i < 15; i++) {
      client.restart(WEB);
    }
    time.advanceSeconds(9);
    assertThat(runtime.count("start")).as("still backing off").isEqualTo(2);
    time.advanceSeconds(1);
    awaitRunning(2);

    // The backoff went on doubling: the request-made restart waits 20 s, as a third crash would.
    client.restart(WEB);
    awaitBackOff("20s");
    time.advanceSeconds(20);
    awaitRunning(3);
  }
}
