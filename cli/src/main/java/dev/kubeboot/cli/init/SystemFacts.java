package dev.kubeboot.cli.init;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What preflight asks of the host; an interface so checks are testable without the host's state.
 */
interface SystemFacts {
  int cpus();

  /** Physical memory in bytes. */
  long memoryBytes();

  boolean isRoot();

  /** Whether a TCP port can be bound on all addresses. */
  boolean portFree(int port);

  boolean swapOn();

  /** The executable's path when found on PATH. */
  Optional<Path> onPath(String executable);

  static SystemFacts host() {
    return new Host();
  }

  final class Host implements SystemFacts {
    @Override
    public int cpus() {
      return Runtime.getRuntime().availableProcessors();
    }

    @Override
    public long memoryBytes() {
      try {
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
          if (line.startsWith("MemTotal:")) {
            return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
          }
        }
      } catch (IOException | NumberFormatException e) {
        // Unknown memory is not a reason to stop: report it as plenty.
      }
      return Long.MAX_VALUE;
    }

    @Override
    public boolean isRoot() {
      try {
        return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0;
      } catch (IOException | UnsupportedOperationException e) {
        return "root".equals(System.getProperty("user.name"));
      }
    }

    @Override
    public boolean portFree(int port) {
      try (var socket = new ServerSocket()) {
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress((InetAddress) null, port));
        return true;
      } catch (IOException e) {
        return false;
      }
    }

    @Override
    public boolean swapOn() {
      try {
        return Files.readAllLines(Path.of("/proc/swaps")).size() > 1;
      } catch (IOException e) {
        return false;
      }
    }

    @Override
    public Optional<Path> onPath(String executable) {
      String path = System.getenv("PATH");
      if (path == null) {
        return Optional.empty();
      }
      for (String dir : path.split(":")) {
        if (!dir.isEmpty()) {
          Path candidate = Path.of(dir, executable);
          if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
            return Optional.of(candidate);
          }
        }
      }
      return Optional.empty();
    }
  }
}
