package dev.kubeboot.cli.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes each file to a dot-prefixed temp file in the same directory (created with its final
 * permissions before any byte is written), fsyncs it, renames it over the target and fsyncs the
 * directory. A crash leaves either the old file or the new one, plus at worst a dotfile that
 * manifest watchers skip; the next successful write of that file removes such leftovers (they may
 * hold a private key), as long as they predate this sink.
 */
public final class AtomicFileSink implements FileSink {
  private final FileTime createdAt = FileTime.from(Instant.now());

  @Override
  public void write(Path file, byte[] content, FileMode mode) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    createDirectories(dir, mode.dirPermissions());
    Path temp =
        dir.resolve(
            "."
                + file.getFileName()
                + ".tmp-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()));
    var perms =
        PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString(mode.filePermissions()));
    try {
      try (var channel =
          FileChannel.open(
              temp, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), perms)) {
        var buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      // The umask may have narrowed the mode at creation; set it exactly.
      Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString(mode.filePermissions()));
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("cannot replace " + file + " atomically: " + e.getMessage(), e);
      }
      fsyncDirectory(dir);
    } finally {
      Files.deleteIfExists(temp);
    }
    removeLeftovers(dir, file.getFileName().toString());
  }

  /** Temp files of this name that an earlier, killed run left behind. */
  private void removeLeftovers(Path dir, String name) throws IOException {
    try (var leftovers = Files.newDirectoryStream(dir, "." + name + ".tmp-*")) {
      for (Path leftover : leftovers) {
        try {
          if (Files.getLastModifiedTime(leftover).compareTo(createdAt) < 0) {
            Files.deleteIfExists(leftover);
          }
        } catch (NoSuchFileException e) {
          // gone already
        }
      }
    }
  }

  @Override
  public Optional<byte[]> read(Path file) throws IOException {
    try {
      return Optional.of(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  @Override
  public boolean exists(Path file) {
    return Files.exists(file);
  }

  @Override
  public void delete(Path file) throws IOException {
    Files.deleteIfExists(file);
  }

  @Override
  public void createDirectories(Path dir, String posixPermissions) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    Path parent = dir.getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      createDirectories(parent, posixPermissions);
    }
    try {
      Files.createDirectory(
          dir,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(posixPermissions)));
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(posixPermissions));
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(dir)) {
        throw new IOException(dir + " exists and is not a directory", e);
      }
    }
  }

  private static void fsyncDirectory(Path dir) {
    try (var channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // Some file systems refuse to open directories; the rename itself is still atomic there.
    }
  }
}
