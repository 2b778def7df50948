package dev.kubeboot.runner.fs;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one way kubeboot writes a file, in the CLI and in the runner: a temp file with a random name
 * in the target's directory, created exclusively ({@code O_CREAT|O_EXCL}) without following links
 * and given its final mode before any byte goes in; then fsync, an atomic rename over the target
 * and an fsync of the directory. A reader sees the old file or the new one, never a part; a
 * symbolic link planted at any name in the directory is never written through (rename replaces the
 * link itself); a crash leaves at worst a dot-prefixed temp file, which manifest watchers skip and
 * {@link #removeLeftovers} clears.
 */
public final class AtomicWriter {
  /** Whether a write must survive a power loss or only a crash of the writing process. */
  public enum Durability {
    /** fsync the file before the rename and the directory after it. */
    SYNCED,
    /**
     * The rename alone: whole across a crash of the writer, maybe lost on a power loss. For files
     * describing processes a power loss kills too (pid files), where an fsync (5-15 ms here) buys
     * nothing and delays a restart.
     */
    UNSYNCED
  }

  static final String TEMP_INFIX = ".tmp-";

  /** Temp names are random, so a taken one only means another try. */
  private static final int ATTEMPTS = 16;

  private AtomicWriter() {}

  /** Writes {@code content} to {@code target} with exactly {@code permissions}, synced. */
  public static void write(Path target, byte[] content, Set<PosixFilePermission> permissions)
      throws IOException {
    write(target, content, permissions, Durability.SYNCED);
  }

  /**
   * Writes {@code content} to {@code target} with exactly {@code permissions}. The directory must
   * exist.
   *
   * @throws IOException the directory is missing or not writable, or the rename failed (the target
   *     is then as it was)
   */
  public static void write(
      Path target, byte[] content, Set<PosixFilePermission> permissions, Durability durability)
      throws IOException {
    write(
        target,
        permissions,
        durability,
        (OutputStream out) -> {
          out.write(content);
        });
  }

  /** What a streamed write puts into the temp file; it may fail with its own exception. */
  @FunctionalInterface
  public interface Content<E extends Exception> {
    void writeTo(OutputStream out) throws IOException, E;
  }

  /**
   * Streams {@code content} to {@code target} with exactly {@code permissions}, for files too large
   * to hold in memory (an etcd snapshot). A failure of {@code content} leaves the target as it was.
   */
  public static <E extends Exception> void write(
      Path target, Set<PosixFilePermission> permissions, Durability durability, Content<E> content)
      throws IOException, E {
    Path file = target.toAbsolutePath();
    Path dir = file.getParent();
    if (dir == null || file.getFileName() == null) {
      throw new IOException("cannot write " + target + ": it names no file in a directory");
    }
    String name = file.getFileName().toString();
    Temp temp = createTemp(dir, name, permissions);
    boolean renamed = false;
    try {
      try (FileChannel channel = temp.channel()) {
        // Not closed here: closing the stream would close the channel before the fsync.
        OutputStream out = Channels.newOutputStream(channel);
        content.writeTo(out);
        out.flush();
        if (durability == Durability.SYNCED) {
          channel.force(true);
        }
      }
      try {
        Files.move(temp.path(), file, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("cannot replace " + file + " atomically: " + e.getMessage(), e);
      }
      renamed = true;
      if (durability == Durability.SYNCED) {
        fsyncDirectory(dir);
      }
    } finally {
      if (!renamed) {
        Files.deleteIfExists(temp.path());
      }
    }
  }

  /**
   * Removes the temp files of {@code target} that a killed writer left behind, those last modified
   * before {@code before} (a concurrent writer's own temp file is younger). They may hold a private
   * key, so they go as soon as a writer of that file runs again.
   */
  public static void removeLeftovers(Path target, Instant before) throws IOException {
    Path file = target.toAbsolutePath();
    Path dir = file.getParent();
    if (dir == null || file.getFileName() == null) {
      return;
    }
    String prefix = "." + file.getFileName() + TEMP_INFIX;
    DirectoryStream.Filter<Path> ours = p -> p.getFileName().toString().startsWith(prefix);
    try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(dir, ours)) {
      for (Path leftover : leftovers) {
        try {
          var attributes =
              Files.readAttributes(leftover, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
          if (attributes.lastModifiedTime().toInstant().isBefore(before)) {
            Files.deleteIfExists(leftover);
          }
        } catch (NoSuchFileException e) {
          // a concurrent writer renamed or removed it
        }
      }
    } catch (NoSuchFileException e) {
      // no directory, no leftovers
    }
  }

  /** A temp file, open for writing, already with its final mode. */
  private record Temp(Path path, FileChannel channel) {}

  private static Temp createTemp(Path dir, String name, Set<PosixFilePermission> permissions)
      throws IOException {
    FileAlreadyExistsException last = null;
    for (int i = 0; i < ATTEMPTS; i++) {
      Path temp =
          dir.resolve(
              "."
                  + name
                  + TEMP_INFIX
                  + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()));
      FileChannel channel;
      try {
        channel =
            FileChannel.open(
                temp,
                Set.of(
                    StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS),
                PosixFilePermissions.asFileAttribute(permissions));
      } catch (FileAlreadyExistsException e) {
        last = e;
        continue;
      }
      try {
        // The umask may have narrowed the mode at creation: set it exactly, still empty.
        Files.getFileAttributeView(temp, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
            .setPermissions(permissions);
        return new Temp(temp, channel);
      } catch (IOException | RuntimeException e) {
        channel.close();
        Files.deleteIfExists(temp);
        throw e;
      }
    }
    throw new IOException(
        "cannot create a temp file for " + dir.resolve(name) + ": every name tried was taken",
        last);
  }

  private static void fsyncDirectory(Path dir) {
    try (var channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // Some file systems refuse to open directories; the rename itself is still atomic there.
    }
  }
}
