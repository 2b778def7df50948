package dev.kubeboot.cli.day2;

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
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  RunnerProbe(URI base) {
    this.base = base;
  }

  static RunnerProbe local() {
    return new RunnerProbe(URI.create("http://127.0.0.1:" + STATUS_PORT));
  }

  URI base() {
    return base;
  }

  /** The runner's status, empty when nothing answers or the answer is not a runner's. */
  Optional<RunnerStatus> status() throws InterruptedException {
    try {
      var response =
          client.send(HttpRequest.newBuilder(base.resolve("/pods")).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        return Optional.empty();
      }
      return Optional.of(RunnerStatusReader.parse(response.body()));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Whether a runner answers and serves exactly this manifest directory. */
  static boolean serves(RunnerStatus status, Path manifestDir) {
    return Path.of(status.manifestPath()).toAbsolutePath().normalize().equals(manifestDir.toAbsolutePath().normalize());
  }
}
