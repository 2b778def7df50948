package dev.kubeboot.runner.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeboot.runner.pod.PodKey;
import dev.kubeboot.runner.status.RunnerStatus;
import dev.kubeboot.runner.status.StatusStore;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StatusServerRestartTest {
  private static final PodKey KNOWN = new PodKey("kube-system", "kube-apiserver-n1");

  private final List<PodKey> asked = new CopyOnWriteArrayList<>();
  private final StatusServer server =
      StatusServer.start(
          new InetSocketAddress("127.0.0.1", 0),
          new StatusStore(
              new RunnerStatus(
                  9,
                  Instant.parse("2026-01-01T00:00:00Z"),
                  "fake",
                  "/m",
                  "n1",
                  "off",
                  List.of(),
                  List.of())),
          key -> {
            asked.add(key);
            return key.equals(KNOWN);
          });
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

  @Test
  void aPostForAKnownPodIsAccepted() throws Exception {
    HttpResponse<String> r = send("POST", "/pods/kube-system/kube-apiserver-n1/restart");

    assertThat(r.statusCode()).isEqualTo(202);
    assertThat(r.body()).contains("kube-system/kube-apiserver-n1");
    assertThat(asked).containsExactly(KNOWN);
  }

  @Test
  void aPostForAnUnknownPodIsNotFoundAndNamesThePod() throws Exception {
    HttpResponse<String> r = send("POST", "/pods/kube-system/etcd-n1/restart");

    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).contains("kube-system/etcd-n1");
  }

  @ParameterizedTest(name = "{0} is not allowed")
  @ValueSource(strings = {"GET", "PUT", "DELETE"})
  void otherMethodsAreNotAllowed(String method) throws Exception {
    HttpResponse<String> r = send(method, "/pods/kube-system/kube-apiserver-n1/restart");

    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(r.headers().firstValue("Allow")).contains("POST");
    assertThat(asked).isEmpty();
  }

  @Test
  void aServerWithoutPodsKnowsNone() throws Exception {
    try (StatusServer plain =
        StatusServer.start(
            new InetSocketAddress("127.0.0.1", 0),
            new StatusStore(
                new RunnerStatus(
                    1, Instant.EPOCH, "fake", "/m", "n1", "off", List.of(), List.of())))) {
      URI uri =
          URI.create(
              "http://127.0.0.1:"
                  + plain.address().getPort()
                  + "/pods/kube-system/kube-apiserver-n1/restart");
      HttpResponse<String> r =
          client.send(
              HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody()).build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(r.statusCode()).isEqualTo(404);
    }
  }

  @Test
  void otherPathsUnderPodsAreNotFound() throws Exception {
    assertThat(send("GET", "/pods/kube-system/restart").statusCode()).isEqualTo(404);
    assertThat(send("GET", "/pods/kube-system/kube-apiserver-n1").statusCode()).isEqualTo(404);
    assertThat(send("GET", "/pods").statusCode()).isEqualTo(200);
  }
}
