package dev.kubeboot.runner;

import dev.kubeboot.runner.mirror.NodeTaint;
import dev.kubeboot.runner.runtime.LogRotation;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * How a {@link StaticPodRunner} runs once its parts are chosen: the resolved half of a {@link
 * RunnerSpec}, plus the clock tests replace.
 *
 * @param manifestPath the static pod directory (or single file), kubelet's {@code staticPodPath}
 * @param nodeName the node name pods are suffixed with
 * @param nodeIP hostIP of every pod and podIP of hostNetwork pods
 * @param stateDir where {@code status.json}, the pid file and runtime bookkeeping live
 * @param statusAddress the read-only /healthz and /pods endpoint; port 0 picks a free port
 * @param controlSocket the unix socket restart requests come through
 * @param fileCheckFrequency how often the manifest path is listed again besides watching it
 * @param binDirs where a host-process runtime looks for executables named by images
 * @param runtime the runtime's name ("process", "docker", "cri")
 * @param runtimeEndpoint the engine's socket, shown in status so clients reach the same engine; ""
 *     for host processes
 * @param nodeLabels labels of the Node object the runner registers (with a kubeconfig)
 * @param nodeTaints taints of that Node
 * @param metricsAddress where /metrics has a listener of its own; empty: on the status endpoint
 * @param containerLogs how the logs the runner writes (or has written at paths it chose) rotate
 * @param clock the time source for status times, backoff and probe schedules
 */
public record RunnerConfig(
    Path manifestPath,
    String nodeName,
    String nodeIP,
    Path stateDir,
    InetSocketAddress statusAddress,
    Path controlSocket,
    Duration fileCheckFrequency,
    List<Path> binDirs,
    String runtime,
    String runtimeEndpoint,
    Map<String, String> nodeLabels,
    List<NodeTaint> nodeTaints,
    Optional<InetSocketAddress> metricsAddress,
    LogRotation containerLogs,
    Clock clock) {
  public RunnerConfig {
    Objects.requireNonNull(manifestPath, "manifestPath");
    Objects.requireNonNull(nodeName, "nodeName");
    Objects.requireNonNull(nodeIP, "nodeIP");
    Objects.requireNonNull(stateDir, "stateDir");
    Objects.requireNonNull(statusAddress, "statusAddress");
    Objects.requireNonNull(controlSocket, "controlSocket");
    Objects.requireNonNull(fileCheckFrequency, "fileCheckFrequency");
    binDirs = List.copyOf(binDirs);
    Objects.requireNonNull(runtime, "runtime");
    Objects.requireNonNull(runtimeEndpoint, "runtimeEndpoint");
    nodeLabels = Collections.unmodifiableMap(new TreeMap<>(nodeLabels));
    nodeTaints = List.copyOf(nodeTaints);
    Objects.requireNonNull(metricsAddress, "metricsAddress");
    Objects.requireNonNull(containerLogs, "containerLogs");
    Objects.requireNonNull(clock, "clock");
    if (nodeName.isBlank()) {
      throw new IllegalArgumentException("runner config: nodeName is empty; give the node's name");
    }
    if (!fileCheckFrequency.isPositive()) {
      throw new IllegalArgumentException(
          "runner config: fileCheckFrequency is "
              + fileCheckFrequency
              + "; it must be positive (default 20s)");
    }
  }

  /**
   * The kubelet's defaults: status on 127.0.0.1:10248, the control socket in the state directory,
   * relist every 20 s, the "process" runtime, no extra bin dirs, no node labels or taints, the
   * system clock.
   */
  public static RunnerConfig of(Path manifestPath, String nodeName, String nodeIP, Path stateDir) {
    return new RunnerConfig(
        manifestPath,
        nodeName,
        nodeIP,
        stateDir,
        new InetSocketAddress(
            RunnerSpec.DEFAULT_STATUS_BIND_ADDRESS, RunnerSpec.DEFAULT_STATUS_PORT),
        RunnerSpec.controlSocketIn(stateDir),
        RunnerSpec.DEFAULT_FILE_CHECK_FREQUENCY,
        List.of(),
        "process",
        "",
        Map.of(),
        List.of(),
        Optional.empty(),
        LogRotation.DEFAULT,
        Clock.systemUTC());
  }

  public RunnerConfig withStatusAddress(InetSocketAddress address) {
    return new RunnerConfig(
        manifestPath,
        nodeName,
        nodeIP,
        stateDir,
        address,
        controlSocket,
        fileCheckFrequency,
        binDirs,
        runtime,
        runtimeEndpoint,
        nodeLabels,
        nodeTaints,
        metricsAddress,
        containerLogs,
        clock);
  }

  public RunnerConfig withControlSocket(Path socket) {
    return new RunnerConfig(
        manifestPath,
        nodeName,
        nodeIP,
        stateDir,
        statusAddress,
        socket,
        fileCheckFrequency,
        binDirs,
        runtime,
        runtimeEndpoint,
        nodeLabels,
        nodeTaints,
        metricsAddress,
        containerLogs,
        clock);
  }

  public RunnerConfig withFileCheckFrequency(Duration frequency) {
    return new RunnerConfig(
        manifestPath,
        nodeName,
        nodeIP,
        stateDir,
        statusAddress,
        controlSocket,
        frequency,
        binDirs,
        runtime,
        runtimeEndpoint,
        nodeLabels,
        nodeTaints,
        metricsAddress,
        containerLogs,
        clock);
  }

  public RunnerConfig withBinDirs(List<Path> dirs) {
    return new RunnerConfig(
        manifestPath,
        nodeName,
        nodeIP,
        stateDir,
        statusAddress,
        controlSocket,
        fileCheckFrequency,
        dirs,
        runtime,
        runtimeEndpoint,
        nodeLabels,
        nodeTaints,
        metricsAddress,
        containerLogs,
        clock);
  }

  public RunnerConfig withRuntime(String name) {
    return withRuntime(name, runtimeEndpoint);
  }

  public RunnerConfig withRuntime(String name, String endpoint) {
    return new RunnerConfig(
        manifestPath,
        nodeName,
        nodeIP,
        stateDir,
        statusAddress,
        controlSocket,
        fileCheckFrequency,
        binDirs,
        name,
        endpoint,
        nodeLabels,
        nodeTaints,
        metricsAddress,
        containerLogs,
        clock);
  }

  public RunnerConfig withNode(Map<String, String> labels, List<NodeTaint> taints) {
    return new RunnerConfig(
        manifestPath,
        nodeName,
        nodeIP,
        stateDir,
        statusAddress,
        controlSocket,
        fileCheckFrequency,
        binDirs,
        runtime,
        runtimeEndpoint,
        labels,
        taints,
        metricsAddress,
        containerLogs,
        clock);
  }

  public RunnerConfig withClock(Clock c) {
    return new RunnerConfig(
        manifestPath,
        nodeName,
        nodeIP,
        stateDir,
        statusAddress,
        controlSocket,
        fileCheckFrequency,
        binDirs,
        runtime,
        runtimeEndpoint,
        nodeLabels,
        nodeTaints,
        metricsAddress,
        containerLogs,
        c);
  }

  public RunnerConfig withMetricsAddress(Optional<InetSocketAddress> address) {
    return new RunnerConfig(
        manifestPath,
        nodeName,
        nodeIP,
        stateDir,
        statusAddress,
        controlSocket,
        fileCheckFrequency,
        binDirs,
        runtime,
        runtimeEndpoint,
        nodeLabels,
        nodeTaints,
        address,
        containerLogs,
        clock);
  }

  public RunnerConfig withContainerLogs(LogRotation rotation) {
    return new RunnerConfig(
        manifestPath,
        nodeName,
        nodeIP,
        stateDir,
        statusAddress,
        controlSocket,
        fileCheckFrequency,
        binDirs,
        runtime,
        runtimeEndpoint,
        nodeLabels,
        nodeTaints,
        metricsAddress,
        rotation,
        clock);
  }

  /** Where the runner writes its status for {@code kubeboot status}. */
  public Path stateFile() {
    return stateDir.resolve("status.json");
  }
}
