package dev.kubeboot.runner.runtime.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What Linux's /proc tells about a process: enough to prove a pid is still the process we started.
 * Identity rests on the start time in {@code stat}, which no process can change. The environment
 * and working directory are never read: the process can rewrite both (an exec in place keeps pid
 * and start time), so they prove nothing and must not be run with.
 */
final class ProcFs {
  /**
   * @param state the one-letter state ('Z' for a zombie)
   * @param processGroup the process group id
   * @param startTicks start time in clock ticks since boot (field 22): differs when a pid is reused
   */
  record Stat(char state, long processGroup, long startTicks) {
    boolean alive() {
      return state != 'Z' && state != 'X';
    }
  }

  private final Path root;

  ProcFs(Path root) {
    this.root = root;
  }

  Optional<Stat> stat(long pid) {
    String text;
    try {
      text =
          Files.readString(
              root.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return Optional.empty();
    }
    // comm (field 2) may hold spaces and parentheses: fields are counted after its last ')'.
    int close = text.lastIndexOf(')');
    if (close < 0) {
      return Optional.empty();
    }
    String[] f = text.substring(close + 2).trim().split(" ");
    if (f.length < 20) {
      return Optional.empty();
    }
    try {
      return Optional.of(new Stat(f[0].charAt(0), Long.parseLong(f[2]), Long.parseLong(f[19])));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * Live processes in a process group (the group of a container whose leader may already be gone).
   */
  List<Long> groupMembers(long processGroup) {
    List<Long> members = new ArrayList<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, "[0-9]*")) {
      for (Path dir : dirs) {
        long pid;
        try {
          pid = Long.parseLong(dir.getFileName().toString());
        } catch (NumberFormatException e) {
          continue;
        }
        stat(pid)
            .filter(s -> s.processGroup() == processGroup && s.alive())
            .ifPresent(s -> members.add(pid));
      }
    } catch (IOException e) {
      return List.of();
    }
    return members;
  }

  /** The real uid of this JVM. */
  long selfUid() {
    try {
      for (String line : Files.readAllLines(root.resolve("self").resolve("status"))) {
        if (line.startsWith("Uid:")) {
          return Long.parseLong(line.substring(4).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
