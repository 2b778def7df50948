package dev.kubeboot.cli.init;

import dev.kubeboot.cli.io.FileMode;
import dev.kubeboot.cli.io.FileSink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Files in memory with their modes: what the phases wrote, without a disk. */
final class MemoryFileSink implements FileSink {
  record Entry(byte[] content, FileMode mode) {}

  final Map<Path, Entry> files = new TreeMap<>();
  final Map<Path, String> directories = new TreeMap<>();

  /** How often each file was read, for tests that a phase reads a file once. */
  final Map<Path, Integer> reads = new TreeMap<>();

  @Override
  public synchronized void write(Path file, byte[] content, FileMode mode) {
    files.put(file.toAbsolutePath().normalize(), new Entry(content.clone(), mode));
  }

  @Override
  public synchronized Optional<byte[]> read(Path file) {
    reads.merge(file.toAbsolutePath().normalize(), 1, Integer::sum);
    return Optional.ofNullable(files.get(file.toAbsolutePath().normalize()))
        .map(e -> e.content().clone());
  }

  @Override
  public synchronized void delete(Path file) {
    files.remove(file.toAbsolutePath().normalize());
  }

  @Override
  public synchronized void createDirectories(Path dir, String posixPermissions) {
    directories.put(dir.toAbsolutePath().normalize(), posixPermissions);
  }

  synchronized String text(Path file) {
    Entry e = files.get(file.toAbsolutePath().normalize());
    if (e == null) {
      throw new AssertionError("no file " + file + "; written: " + files.keySet());
    }
    return new String(e.content(), StandardCharsets.UTF_8);
  }

  synchronized FileMode mode(Path file) {
    return files.get(file.toAbsolutePath().normalize()).mode();
  }
}
