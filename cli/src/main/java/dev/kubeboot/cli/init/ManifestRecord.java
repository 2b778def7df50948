package dev.kubeboot.cli.init;

import dev.kubeboot.cli.io.FileMode;
import dev.kubeboot.cli.io.FileSink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The sha256 of each manifest kubeboot wrote, kept beside the kubeconfigs. A manifest whose content
 * still has its recorded hash is kubeboot's own: re-running init may replace it, and the ports its
 * pod holds are not "in use by something else".
 */
final class ManifestRecord {
  private ManifestRecord() {}

  static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /**
   * The recorded hashes by file name. A name has two while its file is being replaced (see {@link
   * #write}).
   */
  static Map<String, Set<String>> read(FileSink sink, Path record) throws IOException {
    var hashes = new TreeMap<String, Set<String>>();
    Optional<byte[]> content = sink.read(record);
    if (content.isPresent()) {
      for (String line : new String(content.get(), StandardCharsets.UTF_8).split("\n")) {
        String[] parts = line.strip().split("\\s+", 2);
        if (parts.length == 2) {
          hashes.computeIfAbsent(parts[1], n -> new TreeSet<>()).add(parts[0]);
        }
      }
    }
    return hashes;
  }

  /**
   * Writes {@code content} to {@code manifest} (unless it is there already) and records it, in an
   * order that leaves the manifest recognised as kubeboot's whenever the process is killed: the new
   * hash is recorded beside the old one first, then the file is replaced, then the old hash is
   * dropped. A kill between any two steps leaves a file whose hash is recorded, so a rerun may
   * replace it and does not take its pod's ports for someone else's.
   *
   * @return whether the file was written (false: it already had this content)
   */
  static boolean write(FileSink sink, Path record, Path manifest, byte[] content)
      throws IOException {
    return write(sink, record, manifest, content, sink.read(manifest));
  }

  /**
   * As {@link #write(FileSink, Path, Path, byte[])}, for a caller that has just read the manifest
   * ({@code existing}, empty when there is none) to tell the user what will happen to it: the file
   * is read once.
   */
  static boolean write(
      FileSink sink, Path record, Path manifest, byte[] content, Optional<byte[]> existing)
      throws IOException {
    String name = manifest.getFileName().toString();
    String hash = sha256(content);
    var hashes = read(sink, record);
    Set<String> before = Set.copyOf(hashes.getOrDefault(name, Set.of()));
    if (!before.contains(hash)) {
      hashes.computeIfAbsent(name, n -> new TreeSet<>()).add(hash);
      save(sink, record, hashes);
    }
    boolean written = existing.isEmpty() || !Arrays.equals(existing.get(), content);
    if (written) {
      sink.write(manifest, content, FileMode.MANIFEST);
    }
    if (!before.isEmpty() && !before.equals(Set.of(hash))) {
      hashes.put(name, new TreeSet<>(Set.of(hash)));
      save(sink, record, hashes);
    }
    return written;
  }

  private static void save(FileSink sink, Path record, Map<String, Set<String>> hashes)
      throws IOException {
    var text = new StringBuilder();
    hashes.forEach(
        (name, set) -> set.forEach(h -> text.append(h).append("  ").append(name).append('\n')));
    sink.write(record, text.toString().getBytes(StandardCharsets.UTF_8), FileMode.PUBLIC);
  }

  /** Whether the manifest on disk is one kubeboot wrote and nobody changed since. */
  static boolean ours(FileSink sink, Path record, Path manifest) throws IOException {
    Optional<byte[]> content = sink.read(manifest);
    if (content.isEmpty()) {
      return false;
    }
    return read(sink, record)
        .getOrDefault(manifest.getFileName().toString(), Set.of())
        .contains(sha256(content.get()));
  }
}
