package dev.kubeboot.runner.runtime.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What Linux's /proc tells about a process: enough to prove a pid is still the process we started.
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
   * The process's initial environment; empty when unreadable (another user's process without root)
   * or not shown (a process mid-exec).
   */
  Optional<Map<String, String>> environ(long pid) {
    byte[] raw;
    try {
      raw = Files.readAllBytes(root.resolve(Long.toString(pid)).resolve("environ"));
    } catch (IOException e) {
      return Optional.empty();
    }
    if (raw.length == 0) {
      // A process in the middle of exec (and a zombie) shows no environment: that says nothing.
      return Optional.empty();
    }
    Map<String, String> env = new HashMap<>();
    for (String entry : new String(raw, StandardCharsets.UTF_8).split("\0")) {
      int eq = entry.indexOf('=');
      if (eq > 0) {
        env.putIfAbsent(entry.substring(0, eq), entry.substring(eq + 1));
      }
    }
    return Optional.of(env);
  }

  Optional<Path> cwd(long pid) {
    try {
      return Optional.of(Files.readSymbolicLink(root.resolve(Long.toString(pid)).resolve("cwd")));
    } catch (IOException | UnsupportedOperationException e) {
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
