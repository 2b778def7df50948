package dev.kubeboot.runner.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeboot.runner.metrics.RunnerMetrics;
import dev.kubeboot.runner.status.RunnerStatus;
import dev.kubeboot.runner.status.StatusStore;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The status port changes nothing: like the kubelet's healthz port it only answers GET. */
class StatusServerReadOnlyTest {
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
  private final StatusServer server =
      StatusServer.start(new InetSocketAddress("127.0.0.1", 0), store);
  private final HttpClient client = HttpClient.newHttpClient();

  @AfterEach
  void close() {
    server.close();
    client.close();
  }

  private HttpResponse<String> send(String method, String path) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + server.address().getPort() + path);
    return client.send(
        HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @ParameterizedTest(name = "{0} {1} is not allowed")
  @CsvSource({
    "POST, /pods/kube-system/kube-apiserver-n1/restart",
    "POST, /pods",
    "POST, /healthz",
    "PUT, /pods",
    "DELETE, /pods/kube-system/kube-apiserver-n1",
    "PATCH, /healthz",
    "POST, /anything"
  })
  void everyMethodButGetAndHeadIsRefusedWith405(String method, String path) throws Exception {
    RunnerStatus before = store.current();

    HttpResponse<String> r = send(method, path);

    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(r.headers().firstValue("Allow")).contains("GET, HEAD");
    assertThat(r.body()).contains("read-only").contains("control socket");
    assertThat(store.current()).isSameAs(before);
  }

  @Test
  void metricsAreServedReadOnlyInThePrometheusTextFormat() throws Exception {
    RunnerMetrics metrics = new RunnerMetrics(store::current);
    try (StatusServer withMetrics =
        StatusServer.start(new InetSocketAddress("127.0.0.1", 0), store, Optional.of(metrics))) {
      URI uri = URI.create("http://127.0.0.1:" + withMetrics.address().getPort() + "/metrics");
      HttpResponse<String> get =
          client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(get.statusCode()).isEqualTo(200);
      assertThat(get.headers().firstValue("Content-Type"))
          .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
      assertThat(get.body()).contains("# TYPE kubelet_running_pods gauge\nkubelet_running_pods 0");
      HttpResponse<String> post =
          client.send(
              HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody()).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(post.statusCode()).isEqualTo(405);
    }
    // Without metrics given, the status endpoint has none.
    assertThat(send("GET", "/metrics").statusCode()).isEqualTo(404);
  }

  @Test
  void aMetricsListenerOfItsOwnServesOnlyMetricsAndHealth() throws Exception {
    RunnerMetrics metrics = new RunnerMetrics(store::current);
    try (StatusServer own =
        StatusServer.metricsOnly(new InetSocketAddress("127.0.0.1", 0), metrics)) {
      String base = "http://127.0.0.1:" + own.address().getPort();
      HttpResponse<String> m =
          client.send(
              HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
              HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> pods =
          client.send(
              HttpRequest.newBuilder(URI.create(base + "/pods")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(m.body()).contains("kubeboot_manifest_errors 0");
      assertThat(pods.statusCode()).isEqualTo(404);
    }
  }

  @Test
  void theRestartPathIsNotFoundForGetEither() throws Exception {
    assertThat(send("GET", "/pods/kube-system/kube-apiserver-n1/restart").statusCode())
        .isEqualTo(404);
    assertThat(send("HEAD", "/pods").statusCode()).isEqualTo(200);
  }

  @Test
  void aRequestForAnotherHostIsRefusedAsDnsRebindingWouldSendIt() throws Exception {
    // The JDK's HttpClient will not set Host, so speak HTTP on a plain socket.
    try (var socket = new java.net.Socket("127.0.0.1", server.address().getPort())) {
      socket
          .getOutputStream()
          .write(
              "GET /pods HTTP/1.1\r\nHost: attacker.example:10248\r\nConnection: close\r\n\r\n"
                  .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      String answer =
          new String(
              socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
      assertThat(answer).startsWith("HTTP/1.1 403").doesNotContain("RunnerStatus");
    }
    try (var socket = new java.net.Socket("127.0.0.1", server.address().getPort())) {
      socket
          .getOutputStream()
          .write(
              ("GET /pods HTTP/1.1\r\nHost: localhost:"
                      + server.address().getPort()
                      + "\r\nConnection: close\r\n\r\n")
                  .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      String answer =
          new String(
              socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
      assertThat(answer).startsWith("HTTP/1.1 200").contains("RunnerStatus");
    }
  }
}
