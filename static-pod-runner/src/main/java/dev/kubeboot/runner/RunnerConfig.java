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
import java.util.function.Consumer;

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
    return edit(e -> e.statusAddress = address);
  }

  public RunnerConfig withControlSocket(Path socket) {
    return edit(e -> e.controlSocket = socket);
  }

  public RunnerConfig withFileCheckFrequency(Duration frequency) {
    return edit(e -> e.fileCheckFrequency = frequency);
  }

  public RunnerConfig withBinDirs(List<Path> dirs) {
    return edit(e -> e.binDirs = dirs);
  }

  public RunnerConfig withRuntime(String name) {
    return withRuntime(name, runtimeEndpoint);
  }

  public RunnerConfig withRuntime(String name, String endpoint) {
    return edit(
        e -> {
          e.runtime = name;
          e.runtimeEndpoint = endpoint;
        });
  }

  public RunnerConfig withNode(Map<String, String> labels, List<NodeTaint> taints) {
    return edit(
        e -> {
          e.nodeLabels = labels;
          e.nodeTaints = taints;
        });
  }

  public RunnerConfig withClock(Clock c) {
    return edit(e -> e.clock = c);
  }

  public RunnerConfig withMetricsAddress(Optional<InetSocketAddress> address) {
    return edit(e -> e.metricsAddress = address);
  }

  public RunnerConfig withContainerLogs(LogRotation rotation) {
    return edit(e -> e.containerLogs = rotation);
  }

  /** A copy with the fields {@code change} sets; the canonical constructor checks the result. */
  private RunnerConfig edit(Consumer<Editor> change) {
    Editor editor = new Editor(this);
    change.accept(editor);
    return editor.build();
  }

  /**
   * The fields of one config while a {@code with...} method changes some of them: each method then
   * names only what it changes instead of repeating the whole constructor call.
   */
  private static final class Editor {
    private Path manifestPath;
    private String nodeName;
    private String nodeIP;
    private Path stateDir;
    private InetSocketAddress statusAddress;
    private Path controlSocket;
    private Duration fileCheckFrequency;
    private List<Path> binDirs;
    private String runtime;
    private String runtimeEndpoint;
    private Map<String, String> nodeLabels;
    private List<NodeTaint> nodeTaints;
    private Optional<InetSocketAddress> metricsAddress;
    private LogRotation containerLogs;
    private Clock clock;

    Editor(RunnerConfig c) {
      manifestPath = c.manifestPath;
      nodeName = c.nodeName;
      nodeIP = c.nodeIP;
      stateDir = c.stateDir;
      statusAddress = c.statusAddress;
      controlSocket = c.controlSocket;
      fileCheckFrequency = c.fileCheckFrequency;
      binDirs = c.binDirs;
      runtime = c.runtime;
      runtimeEndpoint = c.runtimeEndpoint;
      nodeLabels = c.nodeLabels;
      nodeTaints = c.nodeTaints;
      metricsAddress = c.metricsAddress;
      containerLogs = c.containerLogs;
      clock = c.clock;
    }

    RunnerConfig build() {
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
          clock);
    }
  }

  /** Where the runner writes its status for {@code kubeboot status}. */
  public Path stateFile() {
    return stateDir.resolve("status.json");
  }
}
