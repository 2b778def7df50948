package dev.kubeboot.cli.io;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Writes nothing: reports each planned write and remembers it, so later phases of the same run read
 * what earlier ones would have written. Never prints key material.
 */
public final class DryRunFileSink implements FileSink {
  private final PrintWriter out;
  private final boolean showContent;
  private final Map<Path, byte[]> planned = new HashMap<>();
  private final Set<Path> deleted = new HashSet<>();

  /**
   * @param showContent also print the content of non-secret files (manifests, certificates)
   */
  public DryRunFileSink(PrintWriter out, boolean showContent) {
    this.out = out;
    this.showContent = showContent;
  }

  @Override
  public synchronized void write(Path file, byte[] content, FileMode mode) throws IOException {
    Path key = file.toAbsolutePath();
    planned.put(key, content.clone());
    deleted.remove(key);
    out.printf(
        "[dryrun] Would write file %s (%s, %d bytes%s)%n",
        key, mode.filePermissions(), content.length, mode.secret() ? ", content hidden" : "");
    if (showContent && mode.showInDryRun() && !mode.secret()) {
      out.println(new String(content, StandardCharsets.UTF_8).stripTrailing());
    }
    out.flush();
  }

  @Override
  public synchronized Optional<byte[]> read(Path file) throws IOException {
    Path key = file.toAbsolutePath();
    if (deleted.contains(key)) {
      return Optional.empty();
    }
    byte[] content = planned.get(key);
    if (content != null) {
      return Optional.of(content.clone());
    }
    try {
      return Optional.of(Files.readAllBytes(key));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  @Override
  public synchronized void delete(Path file) {
    Path key = file.toAbsolutePath();
    planned.remove(key);
    deleted.add(key);
    out.printf("[dryrun] Would remove %s%n", key);
    out.flush();
  }

  @Override
  public void createDirectories(Path dir, String posixPermissions) {
    if (!Files.isDirectory(dir)) {
      out.printf(
          "[dryrun] Would create directory %s (%s)%n", dir.toAbsolutePath(), posixPermissions);
      out.flush();
    }
  }

  /** The files this run would have written, for tests and summaries. */
  public synchronized Set<Path> plannedFiles() {
    return Set.copyOf(planned.keySet());
  }
}
