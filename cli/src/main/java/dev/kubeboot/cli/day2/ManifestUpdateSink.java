package dev.kubeboot.cli.day2;

import dev.kubeboot.cli.io.FileMode;
import dev.kubeboot.cli.io.FileSink;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Wraps the real sink for `kubeboot manifests`: a manifest the phases rewrite is first copied to
 * the runner's backup directory, and every such change is remembered for the report. In a dry run
 * nothing reaches the disk, not even the manifest record.
 */
final class ManifestUpdateSink implements FileSink {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

  /** One manifest the phases wrote: what it held before (empty: it did not exist) and after. */
  record Change(Optional<byte[]> before, byte[] after, Optional<Path> backup) {}

  private final FileSink delegate;
  private final Path manifestDir;
  private final Path backupDir;
  private final Clock clock;
  private final boolean dryRun;
  private final Map<String, Change> changes = new LinkedHashMap<>();

  ManifestUpdateSink(
      FileSink delegate, Path manifestDir, Path backupDir, Clock clock, boolean dryRun) {
    this.delegate = delegate;
    this.manifestDir = manifestDir.toAbsolutePath().normalize();
    this.backupDir = backupDir.toAbsolutePath().normalize();
    this.clock = clock;
    this.dryRun = dryRun;
  }

  @Override
  public synchronized void write(Path file, byte[] content, FileMode mode) throws IOException {
    Path target = file.toAbsolutePath().normalize();
    if (!manifestDir.equals(target.getParent())) {
      if (!dryRun) {
        delegate.write(target, content, mode);
      }
      return;
    }
    String name = target.getFileName().toString();
    Optional<byte[]> before = delegate.read(target);
    Optional<Path> backup = Optional.empty();
    if (!dryRun) {
      if (before.isPresent()) {
        String base =
            name.endsWith(".yaml") ? name.substring(0, name.length() - ".yaml".length()) : name;
        Path copy = backupDir.resolve(base + "." + STAMP.format(clock.instant()) + ".yaml");
        delegate.write(copy, before.get(), FileMode.MANIFEST);
        backup = Optional.of(copy);
      }
      delegate.write(target, content, mode);
    }
    changes.put(name, new Change(before, content.clone(), backup));
  }

  @Override
  public Optional<byte[]> read(Path file) throws IOException {
    return delegate.read(file);
  }

  @Override
  public void delete(Path file) throws IOException {
    if (!dryRun) {
      delegate.delete(file);
    }
  }

  @Override
  public void createDirectories(Path dir, String posixPermissions) throws IOException {
    if (!dryRun) {
      delegate.createDirectories(dir, posixPermissions);
    }
  }

  /** The manifests written so far, by file name. */
  synchronized Optional<Change> change(String fileName) {
    return Optional.ofNullable(changes.get(fileName));
  }
}
