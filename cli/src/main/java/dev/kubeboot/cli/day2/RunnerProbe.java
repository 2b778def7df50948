package dev.kubeboot.cli.day2;

import dev.kubeboot.runner.pod.PodKey;
import dev.kubeboot.runner.status.RunnerStatus;
import dev.kubeboot.runner.status.RunnerStatusReader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Asks the runner's status endpoint (127.0.0.1:10248 by default) what it serves and runs. */
final class RunnerProbe {
  static final int STATUS_PORT = 10248;

  private final URI base;
  // Built on first use: reset constructs a probe even when it never asks the runner, and an
  // HttpClient (with its TLS machinery) costs a few hundred milliseconds of start-up.
  private HttpClient client;

  RunnerProbe(URI base) {
    this.base = base;
  }

  private HttpClient client() {
    if (client == null) {
      client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    }
    return client;
  }

  static RunnerProbe local() {
    return new RunnerProbe(URI.create("http://127.0.0.1:" + STATUS_PORT));
  }

  /** The runner on 127.0.0.1 at {@code port} (the runner's and `status`'s --status-port). */
  static RunnerProbe onPort(int port) {
    return new RunnerProbe(URI.create("http://127.0.0.1:" + port));
  }

  URI base() {
    return base;
  }

  /** The runner's status, empty when nothing answers or the answer is not a runner's. */
  Optional<RunnerStatus> status() throws InterruptedException {
    try {
      var response =
          client()
              .send(
                  HttpRequest.newBuilder(base.resolve("/pods"))
                      .timeout(Duration.ofSeconds(2))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        return Optional.empty();
      }
      return Optional.of(RunnerStatusReader.parse(response.body()));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Where to POST for a restart of {@code pod}. */
  URI restartUri(PodKey pod) {
    return base.resolve("/pods/" + pod.namespace() + "/" + pod.name() + "/restart");
  }

  /**
   * Asks the runner to restart every container of {@code pod} (graceful stop, start at once).
   *
   * @return true when the runner accepted (202), false when it has no such pod (404)
   * @throws IOException nothing answers, or the runner answered something else (its answer is in
   *     the message)
   */
  boolean restart(PodKey pod) throws IOException, InterruptedException {
    var response =
        client()
            .send(
                HttpRequest.newBuilder(restartUri(pod))
                    .timeout(Duration.ofSeconds(5))
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    return switch (response.statusCode()) {
      case 202 -> true;
      case 404 -> false;
      default ->
          throw new IOException(
              "POST "
                  + restartUri(pod)
                  + " answered "
                  + response.statusCode()
                  + ": "
                  + response.body().strip());
    };
  }

  /** Whether a runner answers and serves exactly this manifest directory. */
  static boolean serves(RunnerStatus status, Path manifestDir) {
    return Path.of(status.manifestPath())
        .toAbsolutePath()
        .normalize()
        .equals(manifestDir.toAbsolutePath().normalize());
  }
}
