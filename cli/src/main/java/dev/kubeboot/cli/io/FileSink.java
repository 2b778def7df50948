package dev.kubeboot.cli.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where every file kubeboot makes goes. The real sink writes atomically; the dry-run sink only
 * records and reports. Reads go through the sink so a dry run sees what it would have written
 * earlier in the same run.
 */
public interface FileSink {
  /** Writes the whole file or nothing; creates missing parent directories with {@code dirMode}. */
  void write(Path file, byte[] content, FileMode mode) throws IOException;

  /** The file's content as this sink sees it, empty when it does not exist. */
  Optional<byte[]> read(Path file) throws IOException;

  default boolean exists(Path file) throws IOException {
    return read(file).isPresent();
  }

  /** Removes a file; a missing file is not an error. */
  void delete(Path file) throws IOException;

  /** Creates a directory (and parents) with the given mode when missing. */
  void createDirectories(Path dir, String posixPermissions) throws IOException;
}
