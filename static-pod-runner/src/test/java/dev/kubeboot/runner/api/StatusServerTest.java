package dev.kubeboot.runner.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubeboot.runner.pod.PodKey;
import dev.kubeboot.runner.status.ProbeRecord;
import dev.kubeboot.runner.status.ProbeResults;
import dev.kubeboot.runner.status.ProbeResultsJson;
import dev.kubeboot.runner.status.RunnerStatus;
import dev.kubeboot.runner.status.RunnerStatusReader;
import dev.kubeboot.runner.status.StatusStore;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StatusServerTest {
  private final StatusStore store =
      new StatusStore(
          new RunnerStatus(
              9,
              Instant.parse("2026-01-01T00:00:00Z"),
              "fake",
              "/m",
              "n1",
              "off",
              List.of(),
              List.of()));
  private final ProbeResults probes = new ProbeResults();
  private final StatusServer server =
      StatusServer.start(
          new InetSocketAddress("127.0.0.1", 0), store, probes, java.util.Optional.empty());
  private final HttpClient client = HttpClient.newHttpClient();

  @AfterEach
  void close() {
    server.close();
    client.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + server.address().getPort() + path);
    return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void healthzAnswersOkLikeTheKubelets() throws Exception {
    HttpResponse<String> r = get("/healthz");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("ok");
  }

  @Test
  void podsServesTheCurrentStatusAsJson() throws Exception {
    HttpResponse<String> r = get("/pods");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(RunnerStatusReader.parse(r.body())).isEqualTo(store.current());
  }

  @Test
  void probesServesTheLatestProbeResultsAsTheyAreNow() throws Exception {
    assertThat(ProbeResultsJson.parse(get("/probes").body())).isEmpty();
    var result =
        new ProbeRecord(
            new PodKey("kube-system", "etcd-n1"),
            "uid1",
            "etcd",
            "c1",
            "Liveness",
            false,
            "HTTP probe failed with statuscode: 500",
            Instant.parse("2026-01-01T00:00:10.250Z"),
            Duration.ofMillis(12),
            Duration.ofSeconds(10),
            Duration.ofSeconds(15));
    probes.record(result);

    HttpResponse<String> r = get("/probes");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(ProbeResultsJson.parse(r.body())).containsExactly(result);
  }

  @Test
  void otherPathsAreNotFound() throws Exception {
    assertThat(get("/").statusCode()).isEqualTo(404);
    assertThat(get("/healthz/extra").statusCode()).isEqualTo(404);
  }

  @Test
  void aTakenPortIsReportedWithTheAddress() {
    InetSocketAddress taken = server.address();

    assertThatThrownBy(() -> StatusServer.start(taken, store))
        .isInstanceOf(StatusServerException.class)
        .hasMessageContaining(String.valueOf(taken.getPort()))
        .hasMessageContaining("another runner or a kubelet");
  }
}
