package dev.kubeboot.cli.health;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;

/** One component's health endpoint: healthy means HTTP 200, as kubeadm's checks. */
public record HealthCheck(String component, URI url, HttpClient client) {
  public HealthCheck {
    Objects.requireNonNull(component, "component");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(client, "client");
  }

  /** Polls once. */
  public Result probe(Duration timeout) throws InterruptedException {
    long start = System.nanoTime();
    try {
      var response =
          client.send(
              HttpRequest.newBuilder(url).timeout(timeout).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      if (response.statusCode() == 200) {
        return new Result(true, "HTTP 200", took);
      }
      String body = response.body().strip();
      if (body.length() > 200) {
        body = body.substring(0, 200) + "...";
      }
      return new Result(
          false, "HTTP " + response.statusCode() + (body.isEmpty() ? "" : ": " + body), took);
    } catch (java.io.IOException e) {
      return new Result(
          false, HealthErrors.describe(e, timeout), Duration.ofNanos(System.nanoTime() - start));
    }
  }

  /** The outcome of one poll. */
  public record Result(boolean healthy, String detail, Duration latency) {}
}
