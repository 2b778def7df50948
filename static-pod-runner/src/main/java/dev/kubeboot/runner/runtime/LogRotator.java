package dev.kubeboot.runner.runtime;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Rotates a log file that a process keeps writing with {@code O_APPEND} and never reopens (a host
 * process's output, the detached runner's own log), as the kubelet rotates container logs: once the
 * file is larger than {@link LogRotation#maxSizeBytes()} its content moves to {@code
 * <file>.<yyyyMMdd-HHmmss>-<n>} files of at most that size and the file is truncated, so the
 * writer's next write lands at its start again; of the rotated files the newest {@code maxFiles -
 * 1} are kept. The content is copied before the truncation: what the process writes in between is
 * lost (copytruncate's known gap, a few bytes at most), which a process that cannot be told to
 * reopen its output leaves no way around.
 */
public final class LogRotator {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  /** How often logs are checked: the kubelet's containerLogMonitorInterval. */
  public static final java.time.Duration CHECK_INTERVAL = java.time.Duration.ofSeconds(10);

  private final LogRotation settings;
  private final Clock clock;

  public LogRotator(LogRotation settings, Clock clock) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Rotates {@code log} when it is over the size limit; a missing file is left alone.
   *
   * @return whether it was rotated
   */
  public boolean rotateIfNeeded(Path log) throws IOException {
    long size;
    try {
      size = Files.size(log);
    } catch (NoSuchFileException e) {
      return false;
    }
    if (size <= settings.maxSizeBytes()) {
      return false;
    }
    String stamp = STAMP.format(clock.instant());
    try (FileChannel in =
        FileChannel.open(log, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long position = 0;
      // Take what was written meanwhile too, then truncate at once: the gap stays small.
      for (long end = in.size(); position < end; end = in.size()) {
        while (position < end) {
          long chunk = Math.min(settings.maxSizeBytes(), end - position);
          Path target = nextName(log, stamp);
          try (FileChannel out =
              FileChannel.open(
                  target,
                  java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                  PosixFilePermissions.asFileAttribute(Files.getPosixFilePermissions(log)))) {
            long copied = 0;
            while (copied < chunk) {
              copied += in.transferTo(position + copied, chunk - copied, out);
            }
          }
          position += chunk;
        }
      }
      in.truncate(0);
    }
    prune(log);
    return true;
  }

  public LogRotation settings() {
    return settings;
  }

  /** The rotated files of {@code log}, oldest first. */
  public static List<Path> rotated(Path log) throws IOException {
    Path dir = log.toAbsolutePath().getParent();
    String prefix = log.getFileName() + ".";
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(
              f ->
                  f.getFileName().toString().startsWith(prefix)
                      && f.getFileName()
                          .toString()
                          .substring(prefix.length())
                          .matches("\\d{8}-\\d{6}-\\d+"))
          .sorted(
              (a, b) -> {
                String[] x = a.getFileName().toString().substring(prefix.length()).split("-");
                String[] y = b.getFileName().toString().substring(prefix.length()).split("-");
                int byTime = (x[0] + x[1]).compareTo(y[0] + y[1]);
                return byTime != 0
                    ? byTime
                    : Long.compare(Long.parseLong(x[2]), Long.parseLong(y[2]));
              })
          .toList();
    }
  }

  /** After the newest rotated file, even when older ones of the same second were pruned. */
  private static Path nextName(Path log, String stamp) throws IOException {
    List<Path> existing = rotated(log);
    long n = 0;
    if (!existing.isEmpty()) {
      String last = existing.getLast().getFileName().toString();
      String suffix = last.substring(log.getFileName().toString().length() + 1);
      if (suffix.startsWith(stamp + "-")) {
        n = Long.parseLong(suffix.substring(stamp.length() + 1)) + 1;
      }
    }
    return log.resolveSibling(log.getFileName() + "." + stamp + "-" + n);
  }

  private void prune(Path log) throws IOException {
    List<Path> old = new ArrayList<>(rotated(log));
    int keep = settings.maxFiles() - 1;
    for (int i = 0; i < old.size() - keep; i++) {
      Files.deleteIfExists(old.get(i));
    }
  }
}
