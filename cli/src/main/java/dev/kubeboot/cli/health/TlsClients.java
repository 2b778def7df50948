package dev.kubeboot.cli.health;

import java.net.Socket;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/** HTTP clients for health checks: mutual TLS against a CA, or unverified as kubeadm's component checks. */
public final class TlsClients {
  private static final char[] NO_PASSWORD = new char[0];

  private TlsClients() {}

  /** Verifies the server against {@code ca} and presents {@code cert}/{@code key} when asked. */
  public static HttpClient mutual(X509Certificate ca, X509Certificate cert, PrivateKey key, Duration connectTimeout) {
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
      return HttpClient.newBuilder().sslContext(ssl).connectTimeout(connectTimeout).version(HttpClient.Version.HTTP_1_1).build();
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("cannot build a TLS client from the given certificate and key: " + e.getMessage(), e);
    }
  }

  /**
   * Accepts any server certificate and skips host-name checks, as kubeadm's checks of the
   * controller-manager and scheduler (their serving certificates are self-signed).
   */
  public static HttpClient insecure(Duration connectTimeout) {
    try {
      var ssl = SSLContext.getInstance("TLS");
      ssl.init(null, new javax.net.ssl.TrustManager[] {new TrustAll()}, null);
      var params = new SSLParameters();
      // With an X509ExtendedTrustManager that trusts all, no identification algorithm means no host check.
      params.setEndpointIdentificationAlgorithm(null);
      return HttpClient.newBuilder()
          .sslContext(ssl)
          .sslParameters(params)
          .connectTimeout(connectTimeout)
          .version(HttpClient.Version.HTTP_1_1)
          .build();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build a TLS client: " + e.getMessage(), e);
    }
  }

  private static final class TrustAll extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
