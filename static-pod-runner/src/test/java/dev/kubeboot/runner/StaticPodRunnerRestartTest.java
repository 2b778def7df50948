package dev.kubeboot.runner;

import static dev.kubeboot.runner.Eventually.eventually;
import static dev.kubeboot.runner.TestPods.container;
import static dev.kubeboot.runner.TestPods.pod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeboot.runner.manifest.ManifestSnapshot;
import dev.kubeboot.runner.pod.StaticPod;
import dev.kubeboot.runner.status.ContainerState;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** POST /pods/<namespace>/<name>/restart reaches the pod's worker. */
@Timeout(60)
class StaticPodRunnerRestartTest {
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

  private HttpResponse<String> post(String path) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + runner.statusAddress().getPort() + path);
    return http.send(
        HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aRestartRequestOverHttpRestartsThePodsContainers() throws Exception {
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
    eventually(() -> assertThat(runtime.runningCount("app")).isEqualTo(1));

    HttpResponse<String> accepted = post("/pods/kube-system/web-node1/restart");
    HttpResponse<String> unknown = post("/pods/kube-system/db-node1/restart");

    assertThat(accepted.statusCode()).isEqualTo(202);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).contains("kube-system/db-node1");
    eventually(
        () -> {
          var app = runner.status().pod(web.key()).orElseThrow().container("app").orElseThrow();
          assertThat(app.state()).isInstanceOf(ContainerState.Running.class);
          assertThat(app.restartCount()).isEqualTo(1);
        });
    assertThat(runtime.events())
        .contains("stop web-node1/app 30s uid1", "start web-node1/app#1 uid1");
  }
}
