package dev.kubeboot.cli.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.kubeboot.pki.CertificateAuthority;
import dev.kubeboot.pki.CertificateIssuer;
import dev.kubeboot.pki.CertificateSpec;
import dev.kubeboot.pki.ExtendedKeyUsage;
import dev.kubeboot.pki.KeyAlgorithm;
import dev.kubeboot.pki.KeyPairs;
import dev.kubeboot.pki.SubjectAltNames;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Health checks against a real TLS server that is wrong in one way each: the detail says what is
 * wrong in words, with no Java class name in it.
 */
class HealthErrorsTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(3);
  private final SecureRandom random = new SecureRandom();
  private final KeyPairs keys = new KeyPairs(random);
  private HttpsServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private record Pki(X509Certificate ca, KeyPair caKeys) {
    CertificateAuthority authority() {
      return new CertificateAuthority(ca, caKeys.getPrivate());
    }
  }

  private Pki ca(String name) {
    KeyPair pair = keys.generate(KeyAlgorithm.ECDSA_P256);
    return new Pki(
        new CertificateIssuer(Instant.now(), random).selfSignedCa(name, pair, Duration.ofDays(1)),
        pair);
  }

  /** An HTTPS server on loopback presenting a certificate of {@code ca} for {@code sans}. */
  private URI serve(Pki ca, List<String> sans) throws Exception {
    KeyPair pair = keys.generate(KeyAlgorithm.ECDSA_P256);
    X509Certificate cert =
        new CertificateIssuer(Instant.now(), random)
            .issue(
                new CertificateSpec(
                    "server",
                    List.of(),
                    Set.of(ExtendedKeyUsage.SERVER_AUTH),
                    SubjectAltNames.parse(sans, w -> {})),
                pair.getPublic(),
                ca.authority(),
                Duration.ofHours(1));
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("server", pair.getPrivate(), new char[0], new X509Certificate[] {cert});
    var kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, new char[0]);
    var ssl = SSLContext.getInstance("TLS");
    ssl.init(kmf.getKeyManagers(), null, null);
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(ssl));
    server.createContext(
        "/livez",
        exchange -> {
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    server.start();
    return URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/livez");
  }

  private HealthCheck.Result probe(URI url, Pki trusted) throws Exception {
    KeyPair pair = keys.generate(KeyAlgorithm.ECDSA_P256);
    X509Certificate client =
        new CertificateIssuer(Instant.now(), random)
            .issue(
                CertificateSpec.client("probe", List.of()),
                pair.getPublic(),
                trusted.authority(),
                Duration.ofHours(1));
    return new HealthCheck(
            "kube-apiserver",
            url,
            TlsClients.mutual(trusted.ca(), client, pair.getPrivate(), TIMEOUT))
        .probe(TIMEOUT);
  }

  @Test
  void aServerOfTheTrustedCaIsHealthy() throws Exception {
    Pki ca = ca("cluster");
    HealthCheck.Result result = probe(serve(ca, List.of("127.0.0.1")), ca);
    assertThat(result.healthy()).as(result.detail()).isTrue();
  }

  @Test
  void aServerCertificateOfAnotherCaIsSaidInWords() throws Exception {
    HealthCheck.Result result = probe(serve(ca("other"), List.of("127.0.0.1")), ca("cluster"));
    assertThat(result.healthy()).isFalse();
    assertThat(result.detail())
        .isEqualTo("TLS: the server's certificate is not signed by the CA this check trusts")
        .doesNotContain("java.")
        .doesNotContain("PKIX");
  }

  @Test
  void aServerCertificateForAnotherAddressIsSaidInWords() throws Exception {
    Pki ca = ca("cluster");
    HealthCheck.Result result = probe(serve(ca, List.of("10.9.9.9")), ca);
    assertThat(result.detail())
        .isEqualTo(
            "TLS: the server's certificate does not name the address checked (its SANs miss it)");
  }

  @Test
  void nothingListeningIsConnectionRefused() throws Exception {
    int port;
    try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    Pki ca = ca("cluster");
    HealthCheck.Result result = probe(URI.create("https://127.0.0.1:" + port + "/livez"), ca);
    assertThat(result.detail()).isEqualTo("connection refused (nothing listens there)");
  }

  @Test
  void anyOtherMessageLosesItsJavaClassNames() {
    var error =
        new java.io.IOException(
            "PKIX path validation failed: java.security.cert.CertPathValidatorException: odd");
    assertThat(HealthErrors.stripped(error)).isEqualTo("PKIX path validation failed: odd");
  }
}
