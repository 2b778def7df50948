package dev.kubeboot.runner.runtime.docker;

import dev.kubeboot.runner.network.PodNetworkOptions;
import dev.kubeboot.runner.runtime.LogRotation;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link DockerContainerRuntime} reaches its engine and gives pods their network.
 *
 * @param endpoint the Docker API endpoint, e.g. {@code unix:///var/run/docker.sock} or {@code
 *     tcp://127.0.0.1:2375}
 * @param stateDir where emptyDir volumes live ({@code <state>/pods/<ns>_<pod>_<uid>/volumes}), and
 *     the pod network's config and attachment records ({@code <state>/cni})
 * @param pullTimeout how long one image pull may take before it counts as ErrImagePull
 * @param clock the time source for exit times the engine does not report
 * @param podInfraImage the image of the sandbox container that holds a pod's network namespace (the
 *     kubelet's {@code --pod-infra-container-image})
 * @param network where pods without hostNetwork get their network from
 * @param containerLogs the size and number of files of each container's log: given to the engine's
 *     json-file log driver ({@code max-size}, {@code max-file}, {@code compress}), which rotates
 *     the log itself as it writes
 */
public record DockerRuntimeOptions(
    URI endpoint,
    Path stateDir,
    Duration pullTimeout,
    Clock clock,
    String podInfraImage,
    PodNetworkOptions network,
    LogRotation containerLogs) {
  public static final URI DEFAULT_ENDPOINT = URI.create("unix:///var/run/docker.sock");
  public static final Duration DEFAULT_PULL_TIMEOUT = Duration.ofMinutes(2);

  /** The kubelet's sandbox image of Kubernetes 1.34. */
  public static final String DEFAULT_POD_INFRA_IMAGE = "registry.k8s.io/pause:3.10.1";

  /** The API version of Debian bookworm's Docker 20.10; newer engines still serve it. */
  public static final String API_VERSION = "1.41";

  public DockerRuntimeOptions {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(stateDir, "stateDir");
    Objects.requireNonNull(pullTimeout, "pullTimeout");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(podInfraImage, "podInfraImage");
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(containerLogs, "containerLogs");
    if (pullTimeout.isNegative() || pullTimeout.isZero()) {
      throw new IllegalArgumentException("pullTimeout " + pullTimeout + " must be positive");
    }
    if (podInfraImage.isBlank()) {
      throw new IllegalArgumentException(
          "--pod-infra-container-image is empty: name the pause image, e.g. "
              + DEFAULT_POD_INFRA_IMAGE);
    }
  }

  /**
   * The default endpoint, pull timeout and pause image, no pod CIDR, the kubelet's CNI dirs, the
   * system clock, the kubelet's log limits.
   */
  public static DockerRuntimeOptions of(Path stateDir) {
    return new DockerRuntimeOptions(
        DEFAULT_ENDPOINT,
        stateDir,
        DEFAULT_PULL_TIMEOUT,
        Clock.systemUTC(),
        DEFAULT_POD_INFRA_IMAGE,
        PodNetworkOptions.defaults(),
        LogRotation.DEFAULT);
  }

  public DockerRuntimeOptions withEndpoint(URI endpoint) {
    return new DockerRuntimeOptions(
        endpoint, stateDir, pullTimeout, clock, podInfraImage, network, containerLogs);
  }

  public DockerRuntimeOptions withPullTimeout(Duration pullTimeout) {
    return new DockerRuntimeOptions(
        endpoint, stateDir, pullTimeout, clock, podInfraImage, network, containerLogs);
  }

  public DockerRuntimeOptions withPodInfraImage(String image) {
    return new DockerRuntimeOptions(
        endpoint, stateDir, pullTimeout, clock, image, network, containerLogs);
  }

  public DockerRuntimeOptions withContainerLogs(LogRotation containerLogs) {
    return new DockerRuntimeOptions(
        endpoint, stateDir, pullTimeout, clock, podInfraImage, network, containerLogs);
  }

  public DockerRuntimeOptions withNetwork(PodNetworkOptions network) {
    return new DockerRuntimeOptions(
        endpoint, stateDir, pullTimeout, clock, podInfraImage, network, containerLogs);
  }
}
