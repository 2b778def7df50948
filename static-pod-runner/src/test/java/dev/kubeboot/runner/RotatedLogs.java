package dev.kubeboot.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/** What the log rotation tests check of a container's log files, on every runtime. */
public final class RotatedLogs {
  public static final long MIB = 1024 * 1024;

  private RotatedLogs() {}

  /** Whether a file starts with gzip's magic bytes (its content, not only its name). */
  public static boolean isGzip(Path f) throws IOException {
    byte[] head = new byte[2];
    try (InputStream in = Files.newInputStream(f)) {
      return in.readNBytes(head, 0, 2) == 2 && head[0] == (byte) 0x1f && head[1] == (byte) 0x8b;
    }
  }

  /** Every rotated file (oldest first) but the newest is gzip-compressed, as the kubelet leaves. */
  public static void assertCompressedButTheNewest(List<Path> rotated) throws IOException {
    assertThat(rotated).isNotEmpty();
    for (int i = 0; i < rotated.size(); i++) {
      Path f = rotated.get(i);
      boolean newest = i == rotated.size() - 1;
      assertThat(f.getFileName().toString().endsWith(".gz")).as(f.toString()).isEqualTo(!newest);
      assertThat(isGzip(f)).as("gzip magic of " + f).isEqualTo(!newest);
    }
  }

  /** The size of a file's content, uncompressed when it is a .gz. */
  public static long uncompressedSize(Path f) throws IOException {
    if (!f.getFileName().toString().endsWith(".gz")) {
      return Files.size(f);
    }
    try (InputStream in = new GZIPInputStream(Files.newInputStream(f))) {
      return in.transferTo(OutputStream.nullOutputStream());
    }
  }

  /** The files of a directory, sorted by name. */
  public static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }
}
