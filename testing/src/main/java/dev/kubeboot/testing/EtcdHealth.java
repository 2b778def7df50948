package dev.kubeboot.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks etcd for its health the way kube-apiserver depends on it: over mTLS with the etcd client
 * certificate, {@code GET <server>/health} on each of {@code --etcd-servers}. Healthy when any
 * server answers {@code "health":"true"}. A result is reused for {@code cacheFor} so that probes
 * arriving together cost one round trip.
 */
final class EtcdHealth {
  private static final Logger log = LoggerFactory.getLogger(EtcdHealth.class);

  private final List<URI> servers;
  private final HttpClient client;
  private final Duration timeout;
  private final Duration cacheFor;
  private final Clock clock;
  private final ReentrantLock lock = new ReentrantLock();
  private CheckResult last;
  private Instant lastAt = Instant.MIN;

  EtcdHealth(List<URI> servers, SSLContext tls, Duration timeout, Duration cacheFor, Clock clock) {
    if (servers.isEmpty()) {
      throw new StandInConfigException(
          "--etcd-servers is required: pass --etcd-servers=https://127.0.0.1:2379");
    }
    this.servers = List.copyOf(servers);
    this.timeout = timeout;
    this.cacheFor = cacheFor;
    this.clock = clock;
    this.client =
        HttpClient.newBuilder()
            .sslContext(tls)
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(timeout)
            .build();
  }

  static List<URI> parseServers(List<String> servers) {
    List<URI> uris = new ArrayList<>();
    for (String server : servers) {
      URI uri;
      try {
        uri = URI.create(server);
      } catch (IllegalArgumentException e) {
        throw new StandInConfigException(
            "--etcd-servers: \"" + server + "\" is not a URL like https://127.0.0.1:2379", e);
      }
      if (!"https".equals(uri.getScheme()) || uri.getHost() == null) {
        throw new StandInConfigException(
            "--etcd-servers: \""
                + server
                + "\" is not an https URL; the stand-in talks to etcd over mTLS only");
      }
      uris.add(uri);
    }
    return uris;
  }

  CheckResult check() throws InterruptedException {
    lock.lockInterruptibly();
    try {
      Instant now = clock.instant();
      if (last == null || !now.isBefore(lastAt.plus(cacheFor))) {
        CheckResult result = askServers();
        if (last != null && last.healthy() != result.healthy()) {
          log.info(
              "etcd is now {}: {}", result.healthy() ? "healthy" : "unhealthy", result.detail());
        }
        last = result;
        lastAt = clock.instant();
      }
      return last;
    } finally {
      lock.unlock();
    }
  }

  private CheckResult askServers() throws InterruptedException {
    List<String> failures = new ArrayList<>();
    for (URI server : servers) {
      URI health = server.resolve("/health");
      try {
        HttpResponse<String> response =
            client.send(
                HttpRequest.newBuilder(health).timeout(timeout).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        String body = response.body().replace(" ", "");
        if (response.statusCode() == 200 && body.contains("\"health\":\"true\"")) {
          return CheckResult.ok();
        }
        failures.add(health + " answered " + response.statusCode() + " " + response.body().trim());
      } catch (IOException e) {
        failures.add(health + ": " + describe(e));
      }
    }
    return CheckResult.failed("etcd unreachable or unhealthy: " + String.join("; ", failures));
  }

  /** The exception chain in one line: the JDK's HttpClient often puts the reason in a cause. */
  static String describe(Throwable e) {
    StringBuilder text = new StringBuilder(e.toString());
    for (Throwable cause = e.getCause();
        cause != null && cause != cause.getCause();
        cause = cause.getCause()) {
      text.append(" <- ").append(cause);
    }
    return text.toString();
  }
}
