package dev.kubeboot.cli.day2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.kubeboot.cli.KubebootException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The snapshot stream as etcd's JSON gateway sends it, from a scripted server on an ephemeral port;
 * the real etcd's stream is read in the end-to-end test (checked with etcdctl).
 */
class EtcdSnapshotTest {
  @TempDir Path tmp;
  private HttpServer server;

  private URI serve(int status, String body) throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/v3/maintenance/snapshot",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private static String chunk(String data, long remaining) {
    return "{\"result\":{\"header\":{\"revision\":\"7\"},\"remaining_bytes\":\""
        + remaining
        + "\",\"blob\":\""
        + Base64.getEncoder().encodeToString(data.getBytes(StandardCharsets.UTF_8))
        + "\"}}\n";
  }

  private EtcdSnapshot snapshot(URI uri) {
    var time = new StaticPodUpgradeTest.FakeTime();
    return new EtcdSnapshot(HttpClient.newHttpClient(), uri, Duration.ofSeconds(10), time, time);
  }

  @Test
  void theChunksAreJoinedIntoTheFile() throws Exception {
    URI uri = serve(200, chunk("hello ", 6) + chunk("world!", 0));
    Path file = tmp.resolve("snapshot.db");
    assertThat(snapshot(uri).save(file)).isEqualTo(12);
    assertThat(Files.readString(file)).isEqualTo("hello world!");
    assertThat(tmp.resolve("snapshot.db.part")).doesNotExist();
  }

  @Test
  void aStreamThatEndsEarlyLeavesNoFile() throws Exception {
    URI uri = serve(200, chunk("hello ", 6));
    Path file = tmp.resolve("snapshot.db");
    assertThatThrownBy(() -> snapshot(uri).save(file))
        .isInstanceOf(KubebootException.class)
        .hasMessageContaining("ended the snapshot stream early (6 bytes)");
    assertThat(file).doesNotExist();
    assertThat(tmp.resolve("snapshot.db.part")).doesNotExist();
  }

  @Test
  void anErrorMessageInTheStreamIsReported() throws Exception {
    URI uri =
        serve(
            200,
            chunk("hello ", 6)
                + "{\"error\":{\"code\":14,\"message\":\"etcdserver: no leader\"}}\n");
    assertThatThrownBy(() -> snapshot(uri).save(tmp.resolve("snapshot.db")))
        .hasMessageContaining("stopped the snapshot")
        .hasMessageContaining("etcdserver: no leader");
  }

  @Test
  void aRefusalNamesTheStatus() throws Exception {
    URI uri = serve(403, "{\"error\":\"permission denied\"}");
    assertThatThrownBy(() -> snapshot(uri).save(tmp.resolve("snapshot.db")))
        .hasMessageContaining("refused the snapshot: HTTP 403")
        .hasMessageContaining("permission denied");
  }

  @Test
  void anUnreachableEtcdIsRetriedUntilTheTimeoutThenNamed() throws Exception {
    URI uri = serve(200, chunk("x", 0));
    server.stop(0);
    server = null;
    var time = new StaticPodUpgradeTest.FakeTime();
    var snapshot =
        new EtcdSnapshot(HttpClient.newHttpClient(), uri, Duration.ofSeconds(10), time, time);
    assertThatThrownBy(() -> snapshot.save(tmp.resolve("snapshot.db")))
        .isInstanceOf(KubebootException.class)
        .hasMessageContaining(
            "could not take a snapshot of etcd at " + uri + "/v3/maintenance/snapshot within 10s");
    // Retried once a second (on the test clock) until the timeout.
    assertThat(java.time.Duration.between(StaticPodUpgradeTest.FakeTime.START, time.instant()))
        .isEqualTo(Duration.ofSeconds(9));
  }
}
