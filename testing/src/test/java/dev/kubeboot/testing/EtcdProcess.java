package dev.kubeboot.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Debian's etcd (apt-get install -y etcd-server) with TLS and client-cert auth, for the tests. */
final class EtcdProcess implements AutoCloseable {
  static final Path ETCD = Path.of("/usr/bin/etcd");

  private final Process process;
  final URI clientUrl;

  private EtcdProcess(Process process, URI clientUrl) {
    this.process = process;
    this.clientUrl = clientUrl;
  }

  /** Starts etcd with {@code etcd-ca}, {@code etcd-server} and {@code etcd-peer} from the pki. */
  static EtcdProcess start(TestPki pki, Path dataDir, Path log)
      throws IOException, InterruptedException {
    assertThat(ETCD)
        .as("etcd is a test prerequisite: apt-get install -y etcd-server etcd-client")
        .isExecutable();
    int client = freePort();
    int peer = freePort();
    URI clientUrl = URI.create("https://127.0.0.1:" + client);
    String peerUrl = "https://127.0.0.1:" + peer;
    Process process =
        new ProcessBuilder(
                List.of(
                    ETCD.toString(),
                    "--name=t",
                    "--data-dir=" + dataDir,
                    "--listen-client-urls=" + clientUrl,
                    "--advertise-client-urls=" + clientUrl,
                    "--listen-peer-urls=" + peerUrl,
                    "--initial-advertise-peer-urls=" + peerUrl,
                    "--initial-cluster=t=" + peerUrl,
                    "--cert-file=" + pki.crt("etcd-server"),
                    "--key-file=" + pki.key("etcd-server"),
                    "--trusted-ca-file=" + pki.crt("etcd-ca"),
                    "--client-cert-auth=true",
                    "--peer-cert-file=" + pki.crt("etcd-server"),
                    "--peer-key-file=" + pki.key("etcd-server"),
                    "--peer-trusted-ca-file=" + pki.crt("etcd-ca"),
                    "--peer-client-cert-auth=true"))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    EtcdProcess etcd = new EtcdProcess(process, clientUrl);
    HttpClient http =
        HttpClient.newBuilder()
            .sslContext(
                TlsMaterial.context(
                    TlsMaterial.keyManager(pki.crt("etcd-client"), pki.key("etcd-client")),
                    TlsMaterial.trustManager(pki.crt("etcd-ca"))))
            .build();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
    while (Instant.now().isBefore(deadline)) {
      try {
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(clientUrl.resolve("/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.body().contains("true")) {
          return etcd;
        }
      } catch (IOException e) {
        Thread.sleep(100);
      }
      assertThat(process.isAlive()).as("etcd exited early: " + Files.readString(log)).isTrue();
    }
    etcd.close();
    throw new AssertionError("etcd did not become healthy in 20 s: " + Files.readString(log));
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
