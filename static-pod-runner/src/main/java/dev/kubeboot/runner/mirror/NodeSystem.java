package dev.kubeboot.runner.mirror;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What the Node object tells about this machine, as the kubelet fills {@code status.nodeInfo} and
 * {@code status.capacity}.
 *
 * @param kubeletVersion the runner's version, shown as the node's VERSION
 * @param containerRuntimeVersion {@code <runtime>://<version>}, e.g. {@code containerd://1.6.20}
 * @param osImage {@code PRETTY_NAME} of /etc/os-release, e.g. "Debian GNU/Linux 12 (bookworm)"
 * @param kernelVersion e.g. "6.1.0-18-amd64"
 * @param cpus logical CPUs
 * @param memoryBytes total memory
 */
public record NodeSystem(
    String kubeletVersion,
    String containerRuntimeVersion,
    String osImage,
    String kernelVersion,
    int cpus,
    long memoryBytes) {
  /** The kubelet's default maxPods. */
  public static final int MAX_PODS = 110;

  public NodeSystem {
    Objects.requireNonNull(kubeletVersion, "kubeletVersion");
    Objects.requireNonNull(containerRuntimeVersion, "containerRuntimeVersion");
    Objects.requireNonNull(osImage, "osImage");
    Objects.requireNonNull(kernelVersion, "kernelVersion");
  }

  /** This host, read from /etc/os-release, /proc/sys/kernel/osrelease and /proc/meminfo. */
  public static NodeSystem ofHost(String kubeletVersion, String containerRuntimeVersion) {
    return new NodeSystem(
        kubeletVersion,
        containerRuntimeVersion,
        read(Path.of("/etc/os-release")).flatMap(NodeSystem::prettyName).orElse("Unknown"),
        read(Path.of("/proc/sys/kernel/osrelease"))
            .map(String::strip)
            .orElse(System.getProperty("os.version", "")),
        Runtime.getRuntime().availableProcessors(),
        read(Path.of("/proc/meminfo")).flatMap(NodeSystem::memTotal).orElse(0L));
  }

  /** {@code PRETTY_NAME} of an os-release file, unquoted. */
  static Optional<String> prettyName(String osRelease) {
    return osRelease
        .lines()
        .filter(l -> l.startsWith("PRETTY_NAME="))
        .map(l -> l.substring("PRETTY_NAME=".length()).strip())
        .map(
            v ->
                v.length() >= 2 && (v.startsWith("\"") || v.startsWith("'"))
                    ? v.substring(1, v.length() - 1)
                    : v)
        .findFirst();
  }

  /** {@code MemTotal} of /proc/meminfo, in bytes. */
  static Optional<Long> memTotal(String meminfo) {
    return meminfo
        .lines()
        .filter(l -> l.startsWith("MemTotal:"))
        .map(l -> l.substring("MemTotal:".length()).strip().split("\\s+")[0])
        .map(kib -> Long.parseLong(kib) * 1024)
        .findFirst();
  }

  private static Optional<String> read(Path file) {
    try {
      return Optional.of(Files.readString(file));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
