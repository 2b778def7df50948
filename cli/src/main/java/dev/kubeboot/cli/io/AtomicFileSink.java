package dev.kubeboot.cli.io;

import dev.kubeboot.runner.fs.AtomicWriter;
import dev.kubeboot.runner.fs.TrustedPaths;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes each file through {@link AtomicWriter} (random temp name, exclusive create, final mode
 * before content, fsync, rename), into directories no other user owns or can write ({@link
 * TrustedPaths}, checked before anything is made and again once the directory exists). The next
 * successful write of a file removes the temp files a killed run left for it (they may hold a
 * private key), as long as they predate this sink.
 */
public final class AtomicFileSink implements FileSink {
  private final Instant createdAt = Instant.now();
  private final TrustedPaths trust;

  /** Directories found trusted: no other user can change them, so once is enough. */
  private final Set<Path> trusted = ConcurrentHashMap.newKeySet();

  public AtomicFileSink() {
    this(TrustedPaths.forThisProcess());
  }

  AtomicFileSink(TrustedPaths trust) {
    this.trust = trust;
  }

  @Override
  public void write(Path file, byte[] content, FileMode mode) throws IOException {
    Path target = file.toAbsolutePath();
    createDirectories(target.getParent(), mode.dirPermissions());
    AtomicWriter.write(target, content, PosixFilePermissions.fromString(mode.filePermissions()));
    AtomicWriter.removeLeftovers(target, createdAt);
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
    Path target = file.toAbsolutePath();
    if (target.getParent() != null) {
      requireTrusted(target.getParent());
    }
    Files.deleteIfExists(target);
  }

  @Override
  public void createDirectories(Path dir, String posixPermissions) throws IOException {
    Path absolute = dir.toAbsolutePath();
    if (trusted.contains(absolute)) {
      return;
    }
    trust.requireTrusted(absolute);
    make(absolute, posixPermissions);
    requireTrusted(absolute);
  }

  private void requireTrusted(Path dir) throws IOException {
    if (!trusted.contains(dir)) {
      trust.requireTrusted(dir);
      trusted.add(dir);
    }
  }

  private static void make(Path dir, String posixPermissions) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    Path parent = dir.getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      make(parent, posixPermissions);
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
}
