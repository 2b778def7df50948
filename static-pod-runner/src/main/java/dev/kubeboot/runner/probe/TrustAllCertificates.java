package dev.kubeboot.runner.probe;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts every server certificate, as the kubelet's HTTPS probes do ({@code InsecureSkipVerify}).
 *
 * <p>It must be an {@link X509ExtendedTrustManager}: the JDK wraps a plain {@code X509TrustManager}
 * in one that checks the host name against the certificate (the HTTP client always asks for that),
 * while an extended trust manager is trusted to do its own checks, here none. This is how host name
 * verification is turned off without the process-wide {@code
 * jdk.internal.httpclient.disableHostnameVerification} property.
 */
public final class TrustAllCertificates extends X509ExtendedTrustManager {
  public static SSLContext sslContext() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new TrustAllCertificates()}, new SecureRandom());
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK offers no TLS SSLContext", e);
    }
  }

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
