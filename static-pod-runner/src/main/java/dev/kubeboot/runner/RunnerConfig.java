package dev.kubeboot.runner;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link StaticPodRunner} runs: what the kubelet reads from its flags and config file.
 *
 * @param manifestPath the static pod directory (or single file), kubelet's {@code staticPodPath}
 * @param nodeName the node name pods are suffixed with
 * @param nodeIP hostIP of every pod and podIP of hostNetwork pods
 * @param stateDir where {@code status.json} and runtime bookkeeping live
 * @param statusAddress the /healthz and /pods endpoint; port 0 picks a free port
 * @param fileCheckFrequency how often the manifest path is listed again besides watching it
 * @param binDirs where a host-process runtime looks for executables named by images
 * @param runtime the runtime's name ("process", "docker")
 * @param clock the time source for status times, backoff and probe schedules
 */
public record RunnerConfig(
    Path manifestPath,
    String nodeName,
    String nodeIP,
    Path stateDir,
    InetSocketAddress statusAddress,
    Duration fileCheckFrequency,
    List<Path> binDirs,
    String runtime,
    Clock clock) {
  public static final int DEFAULT_STATUS_PORT = 10248;
  public static final Duration DEFAULT_FILE_CHECK_FREQUENCY = Duration.ofSeconds(20);

  public RunnerConfig {
    Objects.requireNonNull(manifestPath, "manifestPath");
    Objects.requireNonNull(nodeName, "nodeName");
    Objects.requireNonNull(nodeIP, "nodeIP");
    Objects.requireNonNull(stateDir, "stateDir");
    Objects.requireNonNull(statusAddress, "statusAddress");
    Objects.requireNonNull(fileCheckFrequency, "fileCheckFrequency");
    binDirs = List.copyOf(binDirs);
    Objects.requireNonNull(runtime, "runtime");
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
   * The kubelet's defaults: status on 127.0.0.1:10248, relist every 20 s, the "process" runtime, no
   * extra bin dirs, the system clock.
   */
  public static RunnerConfig of(Path manifestPath, String nodeName, String nodeIP, Path stateDir) {
    return new RunnerConfig(
        manifestPath,
        nodeName,
        nodeIP,
        stateDir,
        new InetSocketAddress("127.0.0.1", DEFAULT_STATUS_PORT),
        DEFAULT_FILE_CHECK_FREQUENCY,
        List.of(),
        "process",
        Clock.systemUTC());
  }

  public RunnerConfig withStatusAddress(InetSocketAddress address) {
    return new RunnerConfig(
        manifestPath,
        nodeName,
        nodeIP,
        stateDir,
        address,
        fileCheckFrequency,
        binDirs,
        runtime,
        clock);
  }

  public RunnerConfig withFileCheckFrequency(Duration frequency) {
    return new RunnerConfig(
        manifestPath,
        nodeName,
        nodeIP,
        stateDir,
        statusAddress,
        frequency,
        binDirs,
        runtime,
        clock);
  }

  public RunnerConfig withBinDirs(List<Path> dirs) {
    return new RunnerConfig(
        manifestPath,
        nodeName,
        nodeIP,
        stateDir,
        statusAddress,
        fileCheckFrequency,
        dirs,
        runtime,
        clock);
  }

  public RunnerConfig withRuntime(String name) {
    return new RunnerConfig(
        manifestPath,
        nodeName,
        nodeIP,
        stateDir,
        statusAddress,
        fileCheckFrequency,
        binDirs,
        name,
        clock);
  }

  public RunnerConfig withClock(Clock c) {
    return new RunnerConfig(
        manifestPath,
        nodeName,
        nodeIP,
        stateDir,
        statusAddress,
        fileCheckFrequency,
        binDirs,
        runtime,
        c);
  }

  /** Where the runner writes its status for {@code kubeboot status}. */
  public Path stateFile() {
    return stateDir.resolve("status.json");
  }
}
