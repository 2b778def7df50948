package dev.kubeboot.runner.runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * Rotates container logs as the kubelet's container log manager does: once a log has reached {@link
 * LogRotation#maxSizeBytes()} its content moves to rotated files named {@code
 * <log>.<yyyyMMdd-HHmmss>} (the kubelet's names; {@code -<n>} is added when one second gives more
 * than one), every rotated file but the newest is gzip-compressed to {@code <name>.gz}, and only
 * the newest {@code maxFiles - 1} rotated files are kept, so a log spans at most {@code maxFiles}
 * files with the one being written.
 *
 * <p>Two ways to move the content, for two kinds of writer:
 *
 * <ul>
 *   <li>{@link #rotateIfNeeded(Path, LogReopener)}: a writer that can be told to reopen its file (a
 *       CRI runtime's {@code ReopenContainerLog}): the file is renamed, the writer reopens, and the
 *       renamed file is the rotated one; nothing is lost.
 *   <li>{@link #rotateIfNeeded(Path)}: a process that keeps writing with {@code O_APPEND} and never
 *       reopens (a host process's output, the detached runner's own log): the content is copied,
 *       then the file is truncated, so the writer's next write lands at its start again. What the
 *       process writes between the copy and the truncation is lost (copytruncate's known gap, a few
 *       bytes at most), which a process that cannot be told to reopen its output leaves no way
 *       around.
 * </ul>
 *
 * <p>Both cut what they move into pieces of at most the size limit, at a line end where the piece
 * has one: a writer faster than the check interval still leaves no file over the limit (the kubelet
 * would keep one large file).
 */
public final class LogRotator {
  /** The kubelet's rotated-file suffix, Go's {@code 20060102-150405}, in UTC. */
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private static final String GZ = ".gz";

  /** The kubelet's suffix for a compression in progress; one left behind is removed. */
  private static final String TMP = ".tmp";

  private static final Pattern SUFFIX =
      Pattern.compile("(\\d{8}-\\d{6})(?:-(\\d{1,9}))?(\\.gz)?(\\.tmp)?");

  /** How often logs are checked: the kubelet's containerLogMonitorInterval. */
  public static final Duration CHECK_INTERVAL = Duration.ofSeconds(10);

  /** Tells a writer to reopen its log: the rotated file was renamed away. */
  @FunctionalInterface
  public interface LogReopener {
    /**
     * @throws IOException the writer could not reopen: the rename is undone
     */
    void reopen() throws IOException;
  }

  private final LogRotation settings;
  private final Clock clock;

  public LogRotator(LogRotation settings, Clock clock) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public LogRotation settings() {
    return settings;
  }

  /**
   * Rotates {@code log}, written by a process that never reopens it, by copy and truncation when it
   * has reached the size limit; a missing file is left alone.
   *
   * @return whether it was rotated
   */
  public boolean rotateIfNeeded(Path log) throws IOException {
    if (!needsRotation(log)) {
      return false;
    }
    String stamp = STAMP.format(clock.instant());
    try (FileChannel in =
        FileChannel.open(log, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long position = 0;
      // Take what was written meanwhile too, then truncate at once: the gap stays small.
      for (long end = in.size(); position < end; end = in.size()) {
        position = split(in, position, end, log, stamp, permissionsOf(log));
      }
      in.truncate(0);
    }
    tidy(log, settings.maxFiles() - 1, true);
    return true;
  }

  /**
   * Rotates {@code log} when it has reached the size limit, as the kubelet does for a CRI runtime:
   * the older rotated files are pruned and compressed, the log is renamed and {@code reopener}
   * makes the writer start a new file. A missing log is reopened, as the kubelet does when a log
   * was removed by hand.
   *
   * @return whether it was rotated
   * @throws IOException the log could not be renamed, or the writer could not reopen it (then the
   *     log has its old name back and the next check tries again)
   */
  public boolean rotateIfNeeded(Path log, LogReopener reopener) throws IOException {
    if (!Files.exists(log)) {
      reopener.reopen();
      return false;
    }
    if (!needsRotation(log)) {
      return false;
    }
    // The kubelet's order: room is made first, so the log never spans more than maxFiles files.
    tidy(log, settings.maxFiles() - 2, false);
    String stamp = STAMP.format(clock.instant());
    Path renamed = nextName(log, stamp);
    Files.move(log, renamed);
    try {
      reopener.reopen();
    } catch (IOException | RuntimeException e) {
      try {
        Files.move(renamed, log);
      } catch (IOException undo) {
        e.addSuppressed(undo);
      }
      throw e;
    }
    if (Files.size(renamed) > settings.maxSizeBytes()) {
      // Written faster than the checks: cut into pieces within the limit, newest last.
      Path whole = renamed.resolveSibling(renamed.getFileName() + TMP);
      Files.move(renamed, whole);
      try (FileChannel in = FileChannel.open(whole, StandardOpenOption.READ)) {
        split(in, 0, in.size(), log, stamp, permissionsOf(whole));
      }
      Files.delete(whole);
    }
    tidy(log, settings.maxFiles() - 1, true);
    return true;
  }

  private boolean needsRotation(Path log) throws IOException {
    try {
      // The kubelet rotates at the limit, not only past it.
      return Files.size(log) >= settings.maxSizeBytes();
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  /**
   * Copies {@code [from, end)} of {@code in} into new rotated files of at most the size limit, each
   * but the last ending at a line end when it has one (the last takes what is left, a partial line
   * included, rather than make one more file of it).
   *
   * @return {@code end}
   */
  private long split(
      FileChannel in, long from, long end, Path log, String stamp, FileAttribute<?> permissions)
      throws IOException {
    long position = from;
    while (position < end) {
      long left = end - position;
      long chunk =
          left <= settings.maxSizeBytes()
              ? left
              : pieceLength(in, position, settings.maxSizeBytes());
      Path target = nextName(log, stamp);
      try (FileChannel out =
          FileChannel.open(
              target,
              Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
              permissions)) {
        long copied = 0;
        while (copied < chunk) {
          copied += in.transferTo(position + copied, chunk - copied, out);
        }
      }
      position += chunk;
    }
    return end;
  }

  /** Up to the last line end within {@code limit} bytes from {@code position}, else all of them. */
  private static long pieceLength(FileChannel in, long position, long limit) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(8192);
    long tail = position + limit;
    while (tail > position) {
      int length = (int) Math.min(buffer.capacity(), tail - position);
      buffer.clear().limit(length);
      long start = tail - length;
      while (buffer.hasRemaining()) {
        if (in.read(buffer, start + buffer.position()) < 0) {
          return limit;
        }
      }
      for (int i = length - 1; i >= 0; i--) {
        if (buffer.get(i) == '\n') {
          return start + i + 1 - position;
        }
      }
      tail = start;
    }
    return limit;
  }

  /**
   * Removes leftovers of an interrupted compression, keeps the newest {@code keep} rotated files
   * and compresses them, the newest one excepted when {@code newestStaysPlain}: a reader that was
   * following the log may still be finishing it.
   */
  private static void tidy(Path log, int keep, boolean newestStaysPlain) throws IOException {
    List<Rotated> all = list(log);
    for (Rotated r : all) {
      boolean superseded =
          !r.compressed() && all.stream().anyMatch(o -> o.compressed() && o.sameTime(r));
      if (r.temporary() || superseded) {
        Files.deleteIfExists(r.path());
      }
    }
    List<Rotated> kept = list(log).stream().filter(r -> !r.temporary()).toList();
    int excess = Math.max(0, kept.size() - keep);
    for (int i = 0; i < excess; i++) {
      Files.deleteIfExists(kept.get(i).path());
    }
    List<Rotated> left = kept.subList(excess, kept.size());
    for (int i = 0; i < left.size() - (newestStaysPlain ? 1 : 0); i++) {
      if (!left.get(i).compressed()) {
        compress(left.get(i).path());
      }
    }
  }

  /**
   * {@code <file>} to {@code <file>.gz} through {@code <file>.tmp}, with the file's permissions.
   */
  private static void compress(Path file) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + TMP);
    Path gz = file.resolveSibling(file.getFileName() + GZ);
    try (OutputStream out =
        new GZIPOutputStream(
            Channels.newOutputStream(
                FileChannel.open(
                    tmp,
                    Set.of(
                        StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING,
                        StandardOpenOption.WRITE),
                    permissionsOf(file))),
            64 * 1024)) {
      Files.copy(file, out);
    } catch (IOException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    Files.move(tmp, gz);
    Files.delete(file);
  }

  private static FileAttribute<Set<PosixFilePermission>> permissionsOf(Path file)
      throws IOException {
    return PosixFilePermissions.asFileAttribute(Files.getPosixFilePermissions(file));
  }

  /**
   * The rotated files of {@code log}, oldest first, compressed or not ({@code <log>.<stamp>[-<n>]
   * [.gz]}).
   */
  public static List<Path> rotated(Path log) throws IOException {
    return list(log).stream().filter(r -> !r.temporary()).map(Rotated::path).toList();
  }

  private static List<Rotated> list(Path log) throws IOException {
    Path dir = log.toAbsolutePath().getParent();
    String prefix = log.getFileName() + ".";
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(f -> Rotated.parse(f, prefix))
          .flatMap(java.util.Optional::stream)
          .sorted(
              Comparator.comparing(Rotated::stamp)
                  .thenComparingLong(Rotated::sequence)
                  .thenComparing(Rotated::compressed)
                  .thenComparing(Rotated::temporary))
          .toList();
    }
  }

  /** After the newest rotated file, even when older ones of the same second were pruned. */
  private static Path nextName(Path log, String stamp) throws IOException {
    long n = -1;
    for (Rotated r : list(log)) {
      if (r.stamp().equals(stamp)) {
        n = Math.max(n, r.sequence());
      }
    }
    String base = log.getFileName() + "." + stamp;
    return log.resolveSibling(n < 0 ? base : base + "-" + (n + 1));
  }

  /** One rotated file: its time, its sequence within that second (0 without {@code -<n>}). */
  private record Rotated(
      Path path, String stamp, long sequence, boolean compressed, boolean temporary) {
    static java.util.Optional<Rotated> parse(Path file, String prefix) {
      String name = file.getFileName().toString();
      if (!name.startsWith(prefix)) {
        return java.util.Optional.empty();
      }
      Matcher m = SUFFIX.matcher(name.substring(prefix.length()));
      if (!m.matches()) {
        return java.util.Optional.empty();
      }
      return java.util.Optional.of(
          new Rotated(
              file,
              m.group(1),
              m.group(2) == null ? 0 : Long.parseLong(m.group(2)),
              m.group(3) != null,
              m.group(4) != null));
    }

    boolean sameTime(Rotated other) {
      return stamp.equals(other.stamp) && sequence == other.sequence;
    }
  }
}
