package dev.kubeboot.runner.runtime.cri;

import dev.kubeboot.runner.network.PodNetworkOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link CriContainerRuntime} reaches its runtime and where it keeps what the runtime does
 * not.
 *
 * @param endpoint the CRI socket, as the kubelet's {@code --container-runtime-endpoint}: {@code
 *     unix:///run/containerd/containerd.sock} (a bare absolute path means the same)
 * @param stateDir where emptyDir volumes live ({@code <state>/pods/<ns>_<pod>_<uid>/volumes})
 * @param podLogsDir the kubelet's pod log root, {@code /var/log/pods}; container logs are {@code
 *     <root>/<ns>_<pod>_<uid>/<container>/<attempt>.log}
 * @param cgroupRoot the cgroupfs parent of every pod's cgroup ({@code <root>/pod<uid>}), removed
 *     with the pod since runc leaves it behind
 * @param pollInterval how often one ListContainers call looks for exited containers while the
 *     runtime offers no exit events (neither the CRI's GetContainerEvents nor containerd's event
 *     service); with events the poll is a slow safety net
 * @param pullTimeout how long one image pull may take before it counts as ErrImagePull
 * @param callTimeout the deadline of every other call to the runtime
 * @param network the pod CIDR, if any: kubeboot's bridge network for it is written into the
 *     runtime's CNI conf dir (the runtime runs CNI itself; the other fields concern the Docker and
 *     process runtimes, where kubeboot does)
 * @param cgroupDriver how pod cgroups are named, the kubelet's {@code cgroupDriver}: it must be the
 *     runtime's own setting, which is checked at connection
 */
public record CriRuntimeOptions(
    String endpoint,
    Path stateDir,
    Path podLogsDir,
    String cgroupRoot,
    Duration pollInterval,
    Duration pullTimeout,
    Duration callTimeout,
    Clock clock,
    PodNetworkOptions network,
    CgroupDriver cgroupDriver) {
  public static final String DEFAULT_ENDPOINT = "unix:///run/containerd/containerd.sock";

  /** The usual CRI sockets, in the order {@code --container-runtime auto} tries them. */
  public static final java.util.List<String> WELL_KNOWN_ENDPOINTS =
      java.util.List.of(DEFAULT_ENDPOINT, "unix:///var/run/crio/crio.sock");

  public static final Path DEFAULT_POD_LOGS_DIR = Path.of("/var/log/pods");
  public static final String DEFAULT_CGROUP_ROOT = "/kubeboot";
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(100);
  public static final Duration DEFAULT_PULL_TIMEOUT = Duration.ofMinutes(2);
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(30);

  public CriRuntimeOptions {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(stateDir, "stateDir");
    Objects.requireNonNull(podLogsDir, "podLogsDir");
    Objects.requireNonNull(cgroupRoot, "cgroupRoot");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(cgroupDriver, "cgroupDriver");
    if (!cgroupRoot.startsWith("/")) {
      throw new IllegalArgumentException("cgroupRoot \"" + cgroupRoot + "\" must start with /");
    }
    positive("pollInterval", pollInterval);
    positive("pullTimeout", pullTimeout);
    positive("callTimeout", callTimeout);
  }

  private static void positive(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " " + d + " must be positive");
    }
  }

  /**
   * containerd's default socket, the kubelet's log root, the defaults above, the system clock, no
   * pod CIDR, the cgroupfs driver (containerd's default).
   */
  public static CriRuntimeOptions of(Path stateDir) {
    return new CriRuntimeOptions(
        DEFAULT_ENDPOINT,
        stateDir,
        DEFAULT_POD_LOGS_DIR,
        DEFAULT_CGROUP_ROOT,
        DEFAULT_POLL_INTERVAL,
        DEFAULT_PULL_TIMEOUT,
        DEFAULT_CALL_TIMEOUT,
        Clock.systemUTC(),
        PodNetworkOptions.defaults(),
        CgroupDriver.CGROUPFS);
  }

  public CriRuntimeOptions withEndpoint(String endpoint) {
    return new CriRuntimeOptions(
        endpoint,
        stateDir,
        podLogsDir,
        cgroupRoot,
        pollInterval,
        pullTimeout,
        callTimeout,
        clock,
        network,
        cgroupDriver);
  }

  public CriRuntimeOptions withPodLogsDir(Path podLogsDir) {
    return new CriRuntimeOptions(
        endpoint,
        stateDir,
        podLogsDir,
        cgroupRoot,
        pollInterval,
        pullTimeout,
        callTimeout,
        clock,
        network,
        cgroupDriver);
  }

  public CriRuntimeOptions withPollInterval(Duration pollInterval) {
    return new CriRuntimeOptions(
        endpoint,
        stateDir,
        podLogsDir,
        cgroupRoot,
        pollInterval,
        pullTimeout,
        callTimeout,
        clock,
        network,
        cgroupDriver);
  }

  public CriRuntimeOptions withNetwork(PodNetworkOptions network) {
    return new CriRuntimeOptions(
        endpoint,
        stateDir,
        podLogsDir,
        cgroupRoot,
        pollInterval,
        pullTimeout,
        callTimeout,
        clock,
        network,
        cgroupDriver);
  }

  public CriRuntimeOptions withCgroupDriver(CgroupDriver cgroupDriver) {
    return new CriRuntimeOptions(
        endpoint,
        stateDir,
        podLogsDir,
        cgroupRoot,
        pollInterval,
        pullTimeout,
        callTimeout,
        clock,
        network,
        cgroupDriver);
  }

  public CriRuntimeOptions withPullTimeout(Duration pullTimeout) {
    return new CriRuntimeOptions(
        endpoint,
        stateDir,
        podLogsDir,
        cgroupRoot,
        pollInterval,
        pullTimeout,
        callTimeout,
        clock,
        network,
        cgroupDriver);
  }
}
