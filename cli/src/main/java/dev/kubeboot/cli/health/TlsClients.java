package dev.kubeboot.cli.health;

import dev.kubeboot.runner.probe.TrustAllCertificates;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * HTTP clients for health checks: mutual TLS against a CA, or unverified as kubeadm's component
 * checks.
 */
public final class TlsClients {
  private static final char[] NO_PASSWORD = new char[0];

  private TlsClients() {}

  /** Verifies the server against {@code ca} and presents {@code cert}/{@code key} when asked. */
  public static HttpClient mutual(
      X509Certificate ca, X509Certificate cert, PrivateKey key, Duration connectTimeout) {
    try {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry("client", key, NO_PASSWORD, new X509Certificate[] {cert});
      var kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, NO_PASSWORD);
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("ca", ca);
      var tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      var ssl = SSLContext.getInstance("TLS");
      ssl.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return HttpClient.newBuilder()
          .sslContext(ssl)
          .connectTimeout(connectTimeout)
          .version(HttpClient.Version.HTTP_1_1)
          .build();
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException(
          "cannot build a TLS client from the given certificate and key: " + e.getMessage(), e);
    }
  }

  /**
   * Verifies the server (chain and host name) against {@code cas} only, presenting no client
   * certificate: a joining node talking to the API server whose CA discovery pinned.
   */
  public static HttpClient trusting(List<X509Certificate> cas, Duration connectTimeout) {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      for (int i = 0; i < cas.size(); i++) {
        trust.setCertificateEntry("ca" + i, cas.get(i));
      }
      var tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      var ssl = SSLContext.getInstance("TLS");
      ssl.init(null, tmf.getTrustManagers(), null);
      return HttpClient.newBuilder()
          .sslContext(ssl)
          .connectTimeout(connectTimeout)
          .version(HttpClient.Version.HTTP_1_1)
          .build();
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException(
          "cannot build a TLS client trusting the CA: " + e.getMessage(), e);
    }
  }

  /**
   * Accepts any server certificate and skips host-name checks, as kubeadm's checks of the
   * controller-manager and scheduler (their serving certificates are self-signed).
   */
  public static HttpClient insecure(Duration connectTimeout) {
    var params = new SSLParameters();
    // The probers' trust-all manager is an X509ExtendedTrustManager: with no identification
    // algorithm the JDK then checks no host name either.
    params.setEndpointIdentificationAlgorithm(null);
    return HttpClient.newBuilder()
        .sslContext(TrustAllCertificates.sslContext())
        .sslParameters(params)
        .connectTimeout(connectTimeout)
        .version(HttpClient.Version.HTTP_1_1)
        .build();
  }
}
