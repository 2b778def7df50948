package dev.kubeboot.runner.probe;

import dev.kubeboot.runner.pod.ProbeAction;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;

/**
 * One httpGet probe as the kubelet makes it: a fresh connection per request and closed after it
 * (the kubelet disables keep-alive), no proxy, HTTP/1.1, redirects to the same host followed.
 *
 * <p>Blocking {@link HttpURLConnection} on the prober's (virtual) thread rather than the JDK's
 * asynchronous HttpClient: a probe is one small request, and the asynchronous pipeline cost ~9 ms
 * of CPU per probe, most of an idle runner's CPU (docs/performance.md, P5).
 */
final class HttpGetProbe {
  // HttpURLConnection drops these silently (sun.net.http.allowRestrictedHeaders); say so instead.
  private static final Set<String> RESTRICTED =
      Set.of(
          "access-control-request-headers",
          "access-control-request-method",
          "connection",
          "content-length",
          "content-transfer-encoding",
          "host",
          "keep-alive",
          "origin",
          "trailer",
          "transfer-encoding",
          "upgrade",
          "via");

  private final String userAgent;
  private final SSLSocketFactory trustAll;

  HttpGetProbe(String userAgent) {
    this.userAgent = userAgent;
    this.trustAll = TrustAllCertificates.sslContext().getSocketFactory();
  }

  /** Headers of a probe that will not be sent, so that the caller can warn once about them. */
  static List<String> unsendable(List<String> headerNames) {
    return headerNames.stream()
        .filter(name -> RESTRICTED.contains(name.toLowerCase(Locale.ROOT)))
        .toList();
  }

  /** A later header of the same name replaces an earlier one; restricted ones are not sent. */
  ProbeResult get(URI uri, List<ProbeAction.HttpHeader> headers, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    URI current = uri;
    for (int request = 1; ; request++) {
      Response response;
      try {
        response = fetch(current, headers, deadline);
      } catch (SocketTimeoutException e) {
        interruptedCheck();
        return timedOut(current, timeout);
      } catch (ConnectException e) {
        interruptedCheck();
        return ProbeResult.failure("Get \"" + current + "\": connection refused");
      } catch (IOException | IllegalArgumentException e) {
        interruptedCheck();
        return ProbeResult.failure("Get \"" + current + "\": " + e);
      }
      int status = response.status();
      if (status >= 300 && status < 400 && response.location().isPresent()) {
        String location = response.location().get();
        URI target;
        try {
          target = current.resolve(location);
        } catch (IllegalArgumentException e) {
          return ProbeResult.success(
              "probe terminated redirects: invalid Location \"" + location + "\"");
        }
        if (target.getHost() == null || !target.getHost().equalsIgnoreCase(uri.getHost())) {
          return ProbeResult.success(
              "probe terminated redirects to another host ("
                  + target
                  + "), status "
                  + status
                  + ", response body: "
                  + response.body());
        }
        if (request >= DefaultProber.MAX_REQUESTS) {
          return ProbeResult.failure(
              "Get \"" + uri + "\": stopped after " + DefaultProber.MAX_REQUESTS + " redirects");
        }
        current = target;
        continue;
      }
      if (status >= 200 && status < 400) {
        return ProbeResult.success("HTTP probe succeeded with statuscode: " + status);
      }
      return ProbeResult.failure("HTTP probe failed with statuscode: " + status);
    }
  }

  private record Response(int status, Optional<String> location, String body) {}

  private Response fetch(URI uri, List<ProbeAction.HttpHeader> headers, long deadline)
      throws IOException {
    HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
    try {
      if (connection instanceof HttpsURLConnection https) {
        https.setSSLSocketFactory(trustAll);
        https.setHostnameVerifier((host, session) -> true);
      }
      connection.setInstanceFollowRedirects(false);
      connection.setUseCaches(false);
      int remaining = remainingMillis(deadline);
      connection.setConnectTimeout(remaining);
      connection.setReadTimeout(remaining);
      connection.setRequestProperty("User-Agent", userAgent);
      connection.setRequestProperty("Accept", "*/*");
      headers.forEach(h -> connection.setRequestProperty(h.name(), h.value()));
      int status = connection.getResponseCode();
      Optional<String> location = Optional.ofNullable(connection.getHeaderField("Location"));
      connection.setReadTimeout(remainingMillis(deadline));
      String body =
          readCapped(status >= 400 ? connection.getErrorStream() : connection.getInputStream());
      return new Response(status, location, body);
    } finally {
      // No keep-alive, as the kubelet: the next probe opens its own connection.
      connection.disconnect();
    }
  }

  private static String readCapped(InputStream in) throws IOException {
    if (in == null) {
      return "";
    }
    try (in) {
      byte[] body = in.readNBytes(DefaultProber.BODY_LIMIT);
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private static int remainingMillis(long deadline) throws SocketTimeoutException {
    long millis = Duration.ofNanos(deadline - System.nanoTime()).toMillis();
    if (millis <= 0) {
      throw new SocketTimeoutException("probe timeout");
    }
    return (int) Math.min(millis, Integer.MAX_VALUE);
  }

  private static void interruptedCheck() throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException("probe interrupted");
    }
  }

  private static ProbeResult timedOut(URI uri, Duration timeout) {
    return ProbeResult.failure(
        "Get \"" + uri + "\": no answer within the probe timeout " + timeout);
  }
}
