package dev.kubeboot.runner.runtime.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The host's user database ({@code /etc/passwd}), read at each lookup so users added while the
 * runner runs are seen. Only the primary group is needed: a container that names a user but no
 * group runs with that user's group, as a container engine takes it from the image's passwd.
 */
final class Passwd {
  private final Path file;

  Passwd(Path file) {
    this.file = file;
  }

  /**
   * The primary group of {@code uid}; empty when no entry has that uid.
   *
   * @throws IOException the file exists but cannot be read
   */
  Optional<Long> primaryGroup(long uid) throws IOException {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    for (String line : lines) {
      // name:password:uid:gid:gecos:home:shell
      String[] f = line.split(":", -1);
      if (f.length < 4 || line.startsWith("#")) {
        continue;
      }
      try {
        if (Long.parseLong(f[2]) == uid) {
          return Optional.of(Long.parseLong(f[3]));
        }
      } catch (NumberFormatException e) {
        // A malformed line says nothing about this uid.
      }
    }
    return Optional.empty();
  }

  Path file() {
    return file;
  }
}
