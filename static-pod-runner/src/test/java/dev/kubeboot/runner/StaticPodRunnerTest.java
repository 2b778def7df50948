package dev.kubeboot.runner;

import static dev.kubeboot.runner.Eventually.eventually;
import static dev.kubeboot.runner.TestPods.container;
import static dev.kubeboot.runner.TestPods.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubeboot.runner.manifest.ManifestSnapshot;
import dev.kubeboot.runner.pod.PodKey;
import dev.kubeboot.runner.pod.StaticPod;
import dev.kubeboot.runner.status.ContainerState;
import dev.kubeboot.runner.status.RunnerStatusReader;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class StaticPodRunnerTest {
  @TempDir Path stateDir;
  private final FakeTime time = new FakeTime();
  private final FakeContainerRuntime runtime = new FakeContainerRuntime(time);
  private final HttpClient http = HttpClient.newHttpClient();
  private StaticPodRunner runner;

  @AfterEach
  void stop() throws InterruptedException {
    if (runner != null) {
      runner.shutdown(true);
    }
    http.close();
  }

  private static ManifestSnapshot snapshot(StaticPod... pods) {
    return new ManifestSnapshot(
        Arrays.stream(pods).collect(Collectors.toMap(StaticPod::key, Function.identity())),
        List.of());
  }

  private StaticPodRunner start(FakeManifestSource source) throws Exception {
    RunnerConfig config =
        RunnerConfig.of(Path.of("/etc/kubernetes/manifests"), "node1", "10.0.0.5", stateDir)
            .withStatusAddress(new InetSocketAddress("127.0.0.1", 0))
            .withRuntime("fake")
            .withClock(time);
    return StaticPodRunner.start(config, runtime, source, new FakeProber(), time);
  }

  @Test
  void containersOfWantedPodsAreAdoptedAndEverythingElseIsStopped() throws Exception {
    StaticPod web = pod("web", "uid1", container("app"));
    runtime.leftRunning(web, "app", 2);
    runtime.leftRunning(pod("web", "uid0", container("app")), "app", 7);
    runtime.leftRunning(pod("gone", "uid5", container("x")), "x", 0);

    runner = start(new FakeManifestSource(snapshot(web)));

    eventually(
        () -> {
          var app = runner.status().pod(web.key()).orElseThrow().container("app").orElseThrow();
          assertThat(app.state()).isInstanceOf(ContainerState.Running.class);
          assertThat(app.restartCount()).isEqualTo(2);
        });
    assertThat(runtime.events())
        .filteredOn(e -> !e.startsWith("sandbox"))
        .containsExactlyInAnyOrder(
            "stop web-node1/app 30s uid0",
            "stop gone-node1/x 30s uid5",
            "removePod web-node1 uid0",
            "removePod gone-node1 uid5");
    assertThat(runtime.running()).extracting(r -> r.handle().podUid()).containsExactly("uid1");
  }

  @Test
  void sandboxesOfPodsNoManifestWantsAreRemovedAtStartAndWantedOnesKept() throws Exception {
    StaticPod web = pod("web", "uid1", container("app"));
    runtime.leftSandbox(web.key(), "uid1");
    runtime.leftSandbox(web.key(), "uid0");
    runtime.leftSandbox(new PodKey("kube-system", "gone-node1"), "uid5");

    runner = start(new FakeManifestSource(snapshot(web)));

    eventually(() -> assertThat(runtime.runningCount("app")).isEqualTo(1));
    assertThat(runtime.events())
        .filteredOn(e -> e.startsWith("removePod"))
        .containsExactlyInAnyOrder("removePod web-node1 uid0", "removePod gone-node1 uid5");
  }

  @Test
  void closeLeavesPodsRunningAndStopsServing() throws Exception {
    FakeManifestSource source =
        new FakeManifestSource(snapshot(pod("web", "uid1", container("app"))));
    runner = start(source);
    eventually(() -> assertThat(runtime.runningCount("app")).isEqualTo(1));
    InetSocketAddress address = runner.statusAddress();

    runner.close();

    assertThat(runtime.runningCount("app")).isEqualTo(1);
    assertThat(runtime.count("stop")).isZero();
    assertThat(source.closed()).isTrue();
    assertThat(runtime.closed()).isTrue();
    assertThatThrownBy(() -> get(address, "/healthz")).isInstanceOf(ConnectException.class);
    runner = null;
  }

  @Test
  void shutdownWithStopPodsStopsEveryContainer() throws Exception {
    runner =
        start(
            new FakeManifestSource(
                snapshot(
                    pod("web", "uid1", container("app")), pod("db", "uid2", container("etcd")))));
    eventually(() -> assertThat(runtime.running()).hasSize(2));

    runner.shutdown(true);

    assertThat(runtime.running()).isEmpty();
    assertThat(runtime.count("removePod")).isEqualTo(2);
    runner = null;
  }

  @Test
  void statusIsServedAndWrittenToTheStateFile() throws Exception {
    FakeManifestSource source =
        new FakeManifestSource(snapshot(pod("web", "uid1", container("app"))));
    runner = start(source);
    PodKey web = new PodKey("kube-system", "web-node1");
    eventually(() -> assertThat(runner.status().pod(web).orElseThrow().ready()).isTrue());

    HttpResponse<String> pods = get(runner.statusAddress(), "/pods");
    assertThat(pods.statusCode()).isEqualTo(200);
    var served = RunnerStatusReader.parse(pods.body());
    assertThat(served.runtime()).isEqualTo("fake");
    assertThat(served.nodeName()).isEqualTo("node1");
    assertThat(served.mirror()).isEqualTo("off");
    assertThat(served.pid()).isEqualTo(ProcessHandle.current().pid());
    assertThat(served.pod(web)).isPresent();
    assertThat(runner.stateFile()).isEqualTo(stateDir.resolve("status.json"));
    eventually(
        () ->
            assertThat(RunnerStatusReader.read(runner.stateFile()).pod(web).orElseThrow().ready())
                .isTrue());

    source.publish(snapshot());
    eventually(() -> assertThat(RunnerStatusReader.read(runner.stateFile()).pods()).isEmpty());
  }

  private HttpResponse<String> get(InetSocketAddress address, String path) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + address.getPort() + path);
    return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
  }
}
