package dev.kubeboot.cli.join;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsServer;
import dev.kubeboot.cli.KubebootException;
import dev.kubeboot.cli.NodeCerts;
import dev.kubeboot.cli.cluster.ClusterInfoObjects;
import dev.kubeboot.cli.token.BootstrapTokenString;
import dev.kubeboot.pki.Pem;
import dev.kubeboot.pki.PublicKeyPins;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Token discovery against a real HTTPS server serving cluster-info with certificates kubeboot's
 * certs phase issued: the good path, and each way discovery must refuse.
 */
class TokenDiscoveryTest {
  private static final BootstrapTokenString TOKEN =
      new BootstrapTokenString("abcdef", "0123456789abcdef");

  @TempDir static Path dir;
  private final List<HttpsServer> servers = new ArrayList<>();
  private final AtomicInteger requests = new AtomicInteger();
  private final FakeClock clock = new FakeClock();

  private static final class FakeClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  // Issued once: every test reads them, none changes them.
  @BeforeAll
  static void certificates() {
    NodeCerts.issue(dir.resolve("a"));
    NodeCerts.issue(dir.resolve("b"));
  }

  @AfterEach
  void stop() {
    servers.forEach(s -> s.stop(0));
  }

  private String caPem(String which) throws Exception {
    return Files.readString(dir.resolve(which).resolve("pki/ca.crt"));
  }

  private String pin(String which) throws Exception {
    return PublicKeyPins.sha256(Pem.decodeCertificate(caPem(which)));
  }

  /**
   * Serves cluster-info with the serving pair of {@code servingPki}, naming {@code caPki}'s CA,
   * signed for each token in {@code signers}.
   *
   * @return host:port
   */
  private String serve(String servingPki, String caPki, List<BootstrapTokenString> signers)
      throws Exception {
    HttpsServer server = ApiServerTls.onLoopback(dir.resolve(servingPki).resolve("pki"));
    String endpoint = "127.0.0.1:" + server.getAddress().getPort();
    String kubeconfig = ClusterInfoObjects.kubeconfig("https://" + endpoint, caPem(caPki));
    StringBuilder data = new StringBuilder();
    data.append("\"kubeconfig\":").append(quote(kubeconfig));
    for (BootstrapTokenString t : signers) {
      data.append(",\"jws-kubeconfig-")
          .append(t.id())
          .append("\":")
          .append(quote(DetachedJws.sign(kubeconfig, t)));
    }
    byte[] body =
        ("{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\",\"data\":{" + data + "}}")
            .getBytes(StandardCharsets.UTF_8);
    server.createContext(
        "/api/v1/namespaces/kube-public/configmaps/cluster-info",
        exchange -> {
          requests.incrementAndGet();
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    servers.add(server);
    return endpoint;
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }

  private TokenDiscovery discovery() {
    return new TokenDiscovery(
        Duration.ofSeconds(20), Duration.ofSeconds(5), clock, d -> clock.now = d);
  }

  @Test
  void a_signed_cluster_info_with_the_pinned_ca_is_trusted() throws Exception {
    String endpoint = serve("a", "a", List.of(TOKEN));
    DiscoveredCluster cluster = discovery().discover(endpoint, TOKEN, List.of(pin("a")), false);
    assertThat(cluster.server()).isEqualTo("https://" + endpoint);
    assertThat(cluster.caPem()).isEqualTo(caPem("a"));
    // Once without verification, once over TLS verified with the pinned CA.
    assertThat(requests).hasValue(2);
  }

  @Test
  void a_wrong_ca_hash_is_refused_naming_both_pins() throws Exception {
    String endpoint = serve("a", "a", List.of(TOKEN));
    assertThatThrownBy(() -> discovery().discover(endpoint, TOKEN, List.of(pin("b")), false))
        .isInstanceOf(KubebootException.class)
        .hasMessageContaining("does not match --discovery-token-ca-cert-hash")
        .hasMessageContaining(pin("a"))
        .hasMessageContaining(pin("b"));
    assertThat(requests).hasValue(1);
  }

  @Test
  void a_signature_made_with_another_secret_is_refused_at_once() throws Exception {
    String endpoint =
        serve("a", "a", List.of(new BootstrapTokenString("abcdef", "ffffffffffffffff")));
    assertThatThrownBy(() -> discovery().discover(endpoint, TOKEN, List.of(pin("a")), false))
        .isInstanceOf(KubebootException.class)
        .hasMessageContaining("jws-kubeconfig-abcdef signature")
        .hasMessageContaining("does not verify with the token given");
    assertThat(requests).hasValue(1);
  }

  @Test
  void an_unknown_token_is_waited_for_then_refused() throws Exception {
    String endpoint =
        serve("a", "a", List.of(new BootstrapTokenString("zzzzzz", "0123456789abcdef")));
    Instant start = clock.now;
    assertThatThrownBy(() -> discovery().discover(endpoint, TOKEN, List.of(pin("a")), false))
        .isInstanceOf(KubebootException.class)
        .hasMessageContaining("gave up after 20s (timeouts.discovery)")
        .hasMessageContaining("token id \"abcdef\" is invalid for this cluster or it has expired");
    // Every 5s until the 20s are up: at 0, 5, 10 and 15s.
    assertThat(requests).hasValue(4);
    assertThat(Duration.between(start, clock.now)).isEqualTo(Duration.ofSeconds(15));
  }

  @Test
  void an_endpoint_that_does_not_answer_is_named() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String endpoint = "127.0.0.1:" + port;
    assertThatThrownBy(() -> discovery().discover(endpoint, TOKEN, List.of(pin("a")), false))
        .isInstanceOf(KubebootException.class)
        .hasMessageContaining("gave up after 20s")
        .hasMessageContaining("https://" + endpoint + "/api/v1/namespaces/kube-public")
        .hasMessageContaining("did not answer");
  }

  @Test
  void a_server_whose_certificate_the_pinned_ca_did_not_sign_is_refused() throws Exception {
    // Someone holding the token serves the real CA's cluster-info with their own serving pair.
    String endpoint = serve("b", "a", List.of(TOKEN));
    assertThatThrownBy(() -> discovery().discover(endpoint, TOKEN, List.of(pin("a")), false))
        .isInstanceOf(KubebootException.class)
        .hasMessageContaining("does not answer over TLS verified with the pinned CA");
  }

  @Test
  void no_pin_is_refused_unless_verification_is_knowingly_skipped() throws Exception {
    String endpoint = serve("a", "a", List.of(TOKEN));
    assertThatThrownBy(() -> discovery().discover(endpoint, TOKEN, List.of(), false))
        .isInstanceOf(KubebootException.class)
        .hasMessageContaining("--discovery-token-unsafe-skip-ca-verification");
    assertThat(requests).hasValue(0);
    assertThat(discovery().discover(endpoint, TOKEN, List.of(), true).caPem())
        .isEqualTo(caPem("a"));
  }

  @Test
  void a_discovery_file_gives_its_cluster_and_a_broken_one_is_named() throws Exception {
    Path file = dir.resolve("discovery.conf");
    Files.writeString(file, ClusterInfoObjects.kubeconfig("https://10.0.0.1:6443", caPem("a")));
    DiscoveredCluster cluster = FileDiscovery.read(file);
    assertThat(cluster.server()).isEqualTo("https://10.0.0.1:6443");
    assertThat(cluster.caCertificates()).hasSize(1);

    // With contexts, the current context's cluster counts, not the last one listed.
    String a = Base64.getEncoder().encodeToString(caPem("a").getBytes(StandardCharsets.UTF_8));
    String b = Base64.getEncoder().encodeToString(caPem("b").getBytes(StandardCharsets.UTF_8));
    Path admin = dir.resolve("admin.conf");
    Files.writeString(
        admin,
        "apiVersion: v1\nkind: Config\ncurrent-context: ctx\nclusters:\n"
            + "- name: k\n  cluster:\n    server: https://10.0.0.9:6443\n"
            + "    certificate-authority-data: "
            + a
            + "\n"
            + "- name: other\n  cluster:\n    server: https://10.0.0.8:6443\n"
            + "    certificate-authority-data: "
            + b
            + "\n"
            + "contexts:\n- name: ctx\n  context:\n    cluster: k\n    user: u\n");
    assertThat(FileDiscovery.read(admin).caPem()).isEqualTo(caPem("a"));

    Path broken = dir.resolve("broken.conf");
    Files.writeString(
        broken,
        "apiVersion: v1\nkind: Config\nclusters:\n- name: x\n  cluster:\n    server: https://h:1\n"
            + "    certificate-authority-data: "
            + Base64.getEncoder().encodeToString("not pem".getBytes(StandardCharsets.UTF_8))
            + "\n");
    assertThatThrownBy(() -> FileDiscovery.read(broken))
        .isInstanceOf(KubebootException.class)
        .hasMessageContaining(broken.toString())
        .hasMessageContaining("certificate-authority-data");
    assertThatThrownBy(() -> FileDiscovery.read(dir.resolve("missing.conf")))
        .hasMessageContaining("cannot read the discovery file");
  }
}
