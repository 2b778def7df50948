package dev.kubeboot.runner;

import dev.kubeboot.runner.fs.AtomicWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * {@code <state dir>/runner.pid}: the running runner's pid, and what tells that process from a
 * later one that got the same pid, its start time and a hash of its command line. The first line is
 * the pid alone, so {@code kill $(head -1 runner.pid)} works:
 *
 * <pre>
 * 4242
 * start 2026-01-01T00:00:00.120Z
 * cmdline-sha256 9f86d08...
 * </pre>
 *
 * A client trusts a runner only when this file, in the state directory it chose, describes a live
 * process exactly (see {@link #liveProcess()}).
 */
public record RunnerPidFile(long pid, Instant start, String commandLineSha256) {
  public static final String FILE_NAME = "runner.pid";
  private static final Set<PosixFilePermission> MODE = PosixFilePermissions.fromString("rw-------");

  public RunnerPidFile {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(commandLineSha256, "commandLineSha256");
  }

  /** This process, as the file describes it. */
  static RunnerPidFile ofCurrentProcess() throws IOException {
    return of(ProcessHandle.current());
  }

  /**
   * A live process as the file describes it.
   *
   * @throws IOException its start time or command line cannot be read (gone, or another user's)
   */
  public static RunnerPidFile of(ProcessHandle process) throws IOException {
    return new RunnerPidFile(process.pid(), startOf(process), commandLineHash(process.pid()));
  }

  /**
   * Writes {@code <stateDir>/runner.pid} through {@link AtomicWriter}, owner-only: a link planted
   * at that name is replaced, never written through. Unsynced: it describes a process a power loss
   * kills too.
   */
  public void write(Path stateDir) throws IOException {
    Path target = stateDir.resolve(FILE_NAME);
    AtomicWriter.removeLeftovers(target, Instant.now());
    AtomicWriter.write(
        target,
        (pid + "\nstart " + start + "\ncmdline-sha256 " + commandLineSha256 + "\n")
            .getBytes(StandardCharsets.UTF_8),
        MODE,
        AtomicWriter.Durability.UNSYNCED);
  }

  /** Removes the file when it still describes this record (a newer runner may have replaced it). */
  void removeIfOurs(Path stateDir) throws IOException {
    Path file = stateDir.resolve(FILE_NAME);
    if (read(stateDir).filter(this::equals).isPresent()) {
      Files.deleteIfExists(file);
    }
  }

  /**
   * Reads {@code <stateDir>/runner.pid}.
   *
   * @return empty when there is no such file
   * @throws IOException the file cannot be read, or is not a runner's pid file (its content is
   *     named)
   */
  public static Optional<RunnerPidFile> read(Path stateDir) throws IOException {
    Path file = stateDir.resolve(FILE_NAME);
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    try {
      if (lines.size() < 3
          || !lines.get(1).startsWith("start ")
          || !lines.get(2).startsWith("cmdline-sha256 ")) {
        throw new IllegalArgumentException("expected a pid, start and cmdline-sha256 lines");
      }
      return Optional.of(
          new RunnerPidFile(
              Long.parseLong(lines.get(0).strip()),
              Instant.parse(lines.get(1).substring("start ".length()).strip()),
              lines.get(2).substring("cmdline-sha256 ".length()).strip()));
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw new IOException(
          file + " is not a runner's pid file (" + e.getMessage() + "): " + lines, e);
    }
  }

  /**
   * The process this file describes, when it still runs: same pid, same start time, same command
   * line. Empty for a runner that exited, even when its pid was given to another process since.
   */
  public Optional<ProcessHandle> liveProcess() {
    Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    if (process.isEmpty()) {
      return Optional.empty();
    }
    try {
      if (!startOf(process.get()).equals(start)
          || !commandLineHash(pid).equals(commandLineSha256)) {
        return Optional.empty();
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return process;
  }

  private static Instant startOf(ProcessHandle process) throws IOException {
    return process
        .info()
        .startInstant()
        .orElseThrow(
            () -> new IOException("the start time of pid " + process.pid() + " is unknown"));
  }

  /** SHA-256 of {@code /proc/<pid>/cmdline}, the arguments as the kernel keeps them. */
  private static String commandLineHash(long pid) throws IOException {
    byte[] cmdline = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cmdline));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
