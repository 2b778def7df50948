package dev.kubeboot.runner.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.kubeboot.runner.Eventually;
import dev.kubeboot.runner.RunnerSpec;
import dev.kubeboot.runner.Runners;
import dev.kubeboot.runner.StaticPodRunner;
import dev.kubeboot.runner.pod.PodKey;
import dev.kubeboot.runner.status.ContainerState;
import dev.kubeboot.runner.status.ContainerStatus;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's real Prometheus (package prometheus) scrapes a runner of host-process pods, and its
 * query API shows what the runner counts: the running pods, and a restart after a kill.
 */
@Timeout(120)
class PrometheusScrapeIT {
  private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;
  private StaticPodRunner runner;
  private Process prometheus;
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() throws Exception {
    if (prometheus != null) {
      prometheus.destroy();
      prometheus.waitFor();
    }
    if (runner != null) {
      runner.shutdown(true);
    }
    http.close();
  }

  private static String sleeper(String name) {
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
          - name: main
            image: registry.k8s.io/sleeper:1
            command: ["sleep", "3600"]
        """
        .formatted(name);
  }

  @Test
  void prometheusSeesTheRunningPodsAndARestartAfterAKill() throws Exception {
    assertThat(PROMETHEUS)
        .as("Debian's prometheus is installed by scripts/test.sh: apt-get install -y prometheus")
        .isExecutable();
    Path manifests = Files.createDirectories(dir.resolve("manifests"));
    for (String name : List.of("alpha", "beta", "gamma")) {
      Files.writeString(manifests.resolve(name + ".yaml"), sleeper(name));
    }
    int metricsPort = freePort();
    runner =
        Runners.start(
            RunnerSpec.builder(manifests, "node1", "127.0.0.1", dir.resolve("state"))
                .statusPort(0)
                .runtime("process")
                .metricsAddress(Optional.of(new InetSocketAddress("127.0.0.1", metricsPort)))
                .build());
    assertThat(runner.metricsAddress().getPort()).isEqualTo(metricsPort);

    int webPort = freePort();
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(
        config,
        """
        global:
          scrape_interval: 1s
          scrape_timeout: 1s
        scrape_configs:
        - job_name: kubeboot-runner
          static_configs:
          - targets: ['127.0.0.1:%d']
        """
            .formatted(metricsPort));
    Path log = dir.resolve("prometheus.log");
    prometheus =
        new ProcessBuilder(
                PROMETHEUS.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + Files.createDirectories(dir.resolve("tsdb")),
                "--web.listen-address=127.0.0.1:" + webPort)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    String api = "http://127.0.0.1:" + webPort + "/api/v1/query?query=";

    Eventually.eventually(
        WAIT,
        () -> {
          assertThat(prometheus.isAlive()).as("prometheus runs; see " + log).isTrue();
          assertThat(query(api, "kubelet_running_pods{job=\"kubeboot-runner\"}")).contains(3.0);
          assertThat(query(api, "up{job=\"kubeboot-runner\"}")).contains(1.0);
        });

    PodKey beta = new PodKey("kube-system", "beta-node1");
    long pid = runningPid(beta);
    ProcessHandle.of(pid).orElseThrow().destroyForcibly();

    String restarts =
        "kubeboot_container_restarts_total{namespace=\"kube-system\",pod=\"beta-node1\","
            + "container=\"main\"}";
    Eventually.eventually(
        WAIT,
        () -> {
          assertThat(query(api, restarts)).contains(1.0);
          assertThat(query(api, "kubelet_started_containers_total{container_type=\"container\"}"))
              .contains(4.0);
        });
    Eventually.eventually(WAIT, () -> assertThat(query(api, "kubelet_running_pods")).contains(3.0));
  }

  private long runningPid(PodKey key) {
    ContainerStatus c = runner.status().pod(key).orElseThrow().container("main").orElseThrow();
    assertThat(c.state()).isInstanceOf(ContainerState.Running.class);
    return Long.parseLong(c.containerID().substring("process://".length()));
  }

  /** The one value of an instant query; empty while Prometheus has none. */
  private Optional<Double> query(String api, String promql) {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(api + URLEncoder.encode(promql, StandardCharsets.UTF_8)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        return Optional.empty();
      }
      Map<String, Object> body = JSON.std.mapFrom(r.body());
      @SuppressWarnings("unchecked")
      Map<String, Object> data = (Map<String, Object>) body.get("data");
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> result = (List<Map<String, Object>>) data.get("result");
      if (result.size() != 1) {
        return Optional.empty();
      }
      List<?> value = (List<?>) result.getFirst().get("value");
      return Optional.of(Double.parseDouble((String) value.get(1)));
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
