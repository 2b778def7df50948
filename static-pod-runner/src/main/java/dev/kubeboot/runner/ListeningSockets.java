package dev.kubeboot.runner;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which process listens on a TCP port, from {@code /proc/net/tcp{,6}} (the socket's inode) and
 * {@code /proc/<pid>/fd} (the process's sockets): the kernel's word, which no answer on the port
 * can fake.
 */
final class ListeningSockets {
  private static final String LISTEN = "0A";

  private ListeningSockets() {}

  /** Whether a process holds a port's listening socket, as far as this process may look. */
  sealed interface Holder {}

  record Held() implements Holder {}

  record NotHeld() implements Holder {}

  /** The process's descriptors cannot be read: another user's process, for a caller not root. */
  record Unknown(String reason) implements Holder {}

  /** Whether {@code pid} holds a socket listening on {@code port}. */
  static Holder holder(long pid, int port) {
    Set<String> inodes = listening(Path.of("/proc/net"), port);
    if (inodes.isEmpty()) {
      return new NotHeld();
    }
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/" + pid + "/fd"))) {
      for (Path fd : fds) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")
              && inodes.contains(target.substring(8, target.length() - 1))) {
            return new Held();
          }
        } catch (NoSuchFileException closedMeanwhile) {
          // The descriptor was closed while we looked.
        }
      }
    } catch (IOException e) {
      return new Unknown("cannot read the file descriptors of pid " + pid + " (" + e + ")");
    }
    return new NotHeld();
  }

  /** The inodes of the sockets listening on {@code port}, IPv4 and IPv6. */
  static Set<String> listening(Path procNet, int port) {
    Set<String> inodes = new HashSet<>();
    for (String table : List.of("tcp", "tcp6")) {
      List<String> lines;
      try {
        lines = Files.readAllLines(procNet.resolve(table));
      } catch (IOException e) {
        continue;
      }
      // "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout
      // inode": local_address is HEXADDR:HEXPORT.
      for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
        String[] f = line.strip().split("\\s+");
        if (f.length < 10 || !f[3].equals(LISTEN)) {
          continue;
        }
        String local = f[1];
        int colon = local.lastIndexOf(':');
        if (colon > 0 && Integer.parseInt(local.substring(colon + 1), 16) == port) {
          inodes.add(f[9]);
        }
      }
    }
    return inodes;
  }
}
