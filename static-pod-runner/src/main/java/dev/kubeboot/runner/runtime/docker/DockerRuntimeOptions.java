package dev.kubeboot.runner.runtime.docker;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link DockerContainerRuntime} reaches its engine.
 *
 * @param endpoint the Docker API endpoint, e.g. {@code unix:///var/run/docker.sock} or {@code
 *     tcp://127.0.0.1:2375}
 * @param stateDir where emptyDir volumes live ({@code <state>/pods/<ns>_<pod>_<uid>/volumes})
 * @param pullTimeout how long one image pull may take before it counts as ErrImagePull
 * @param clock the time source for exit times the engine does not report
 */
public record DockerRuntimeOptions(URI endpoint, Path stateDir, Duration pullTimeout, Clock clock) {
  public static final URI DEFAULT_ENDPOINT = URI.create("unix:///var/run/docker.sock");
  public static final Duration DEFAULT_PULL_TIMEOUT = Duration.ofMinutes(2);

  /** The API version of Debian bookworm's Docker 20.10; newer engines still serve it. */
  public static final String API_VERSION = "1.41";

  public DockerRuntimeOptions {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(stateDir, "stateDir");
    Objects.requireNonNull(pullTimeout, "pullTimeout");
    Objects.requireNonNull(clock, "clock");
    if (pullTimeout.isNegative() || pullTimeout.isZero()) {
      throw new IllegalArgumentException("pullTimeout " + pullTimeout + " must be positive");
    }
  }

  /** The default endpoint and pull timeout, the system clock. */
  public static DockerRuntimeOptions of(Path stateDir) {
    return new DockerRuntimeOptions(
        DEFAULT_ENDPOINT, stateDir, DEFAULT_PULL_TIMEOUT, Clock.systemUTC());
  }

  public DockerRuntimeOptions withEndpoint(URI endpoint) {
    return new DockerRuntimeOptions(endpoint, stateDir, pullTimeout, clock);
  }

  public DockerRuntimeOptions withPullTimeout(Duration pullTimeout) {
    return new DockerRuntimeOptions(endpoint, stateDir, pullTimeout, clock);
  }
}
