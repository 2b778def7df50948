package dev.kubeboot.cli.day2;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RunnerProbeTest {
  private static final String STATUS =
      """
      {"kind": "RunnerStatus",
       "runner": {"pid": 42, "startTime": "2025-01-01T00:00:00Z", "runtime": "process",
                  "manifestPath": "/srv/k/manifests", "nodeName": "n1", "mirror": "off"},
       "manifestErrors": [], "pods": []}
      """;

  @Test
  void readsTheRunnerStatusAndTellsWhichManifestDirectoryItServes() throws Exception {
    var body = new AtomicReference<>(STATUS);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/pods",
        ex -> {
          byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, bytes.length);
          ex.getResponseBody().write(bytes);
          ex.close();
        });
    server.start();
    try {
      var probe = new RunnerProbe(URI.create("http://127.0.0.1:" + server.getAddress().getPort()));
      var status = probe.status();
      assertThat(status).isPresent();
      assertThat(status.get().pid()).isEqualTo(42);
      assertThat(status.get().pods()).isEmpty();
      assertThat(RunnerProbe.serves(status.get(), Path.of("/srv/k/manifests/"))).isTrue();
      assertThat(RunnerProbe.serves(status.get(), Path.of("/etc/kubernetes/manifests"))).isFalse();

      body.set("{\"kind\": \"SomethingElse\"}");
      assertThat(probe.status()).as("an answer that is not a runner's").isEmpty();
    } finally {
      server.stop(0);
    }
  }

  @Test
  void nothingListeningMeansNoRunner() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    int port = server.getAddress().getPort();
    server.stop(0);
    assertThat(new RunnerProbe(URI.create("http://127.0.0.1:" + port)).status()).isEmpty();
  }
}
