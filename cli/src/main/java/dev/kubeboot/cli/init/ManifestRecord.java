package dev.kubeboot.cli.init;

import dev.kubeboot.cli.io.FileMode;
import dev.kubeboot.cli.io.FileSink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

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

  static Map<String, String> read(FileSink sink, Path record) throws IOException {
    var hashes = new TreeMap<String, String>();
    Optional<byte[]> content = sink.read(record);
    if (content.isPresent()) {
      for (String line : new String(content.get(), StandardCharsets.UTF_8).split("\n")) {
        String[] parts = line.strip().split("\\s+", 2);
        if (parts.length == 2) {
          hashes.put(parts[1], parts[0]);
        }
      }
    }
    return hashes;
  }

  static void put(FileSink sink, Path record, String fileName, String hash) throws IOException {
    var hashes = read(sink, record);
    if (hash.equals(hashes.get(fileName))) {
      return;
    }
    hashes.put(fileName, hash);
    var text = new StringBuilder();
    hashes.forEach((name, h) -> text.append(h).append("  ").append(name).append('\n'));
    sink.write(record, text.toString().getBytes(StandardCharsets.UTF_8), FileMode.PUBLIC);
  }

  /** Whether the manifest on disk is one kubeboot wrote and nobody changed since. */
  static boolean ours(FileSink sink, Path record, Path manifest) throws IOException {
    Optional<byte[]> content = sink.read(manifest);
    if (content.isEmpty()) {
      return false;
    }
    String recorded = read(sink, record).get(manifest.getFileName().toString());
    return sha256(content.get()).equals(recorded);
  }
}
