package dev.kubeboot.runner.runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Container logs kept as files in the kubelet's layout, {@code <container dir>/<attempt>.log}: the
 * process runtime's plain output, and a CRI runtime's lines with their {@code <time> <stream>
 * <P|F>} prefix, which is dropped as {@code kubectl logs} drops it.
 */
public final class LogFiles {
  /** How often a followed log is read again once it has no more bytes. */
  static final Duration FOLLOW_POLL = Duration.ofMillis(200);

  /** How a runtime writes its log lines. */
  public enum Format {
    /** Bytes as the container wrote them. */
    PLAIN,
    /** The CRI logging format: {@code 2016-10-06T00:17:09.669794202Z stdout F text}. */
    CRI
  }

  private LogFiles() {}

  /**
   * Copies the newest attempt's log under {@code containerDir} (with {@code previous}, the one
   * before it) to {@code out}.
   *
   * @throws LogNotFoundException there is no such attempt
   */
  public static void copy(Path containerDir, Format format, LogQuery query, OutputStream out)
      throws IOException, InterruptedException {
    List<Path> attempts = attempts(containerDir);
    int index = attempts.size() - (query.previous() ? 2 : 1);
    if (index < 0) {
      throw new LogNotFoundException("no log of " + query.describe() + " under " + containerDir);
    }
    OutputStream sink = format == Format.CRI ? new CriLineStripper(out) : out;
    copy(attempts.get(index), sink, query.follow() && !query.previous());
  }

  /** The attempt logs, oldest first. */
  static List<Path> attempts(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(p -> p.getFileName().toString().matches("\\d{1,9}\\.log"))
          .sorted(Comparator.comparingInt(LogFiles::attempt))
          .toList();
    }
  }

  private static int attempt(Path log) {
    String name = log.getFileName().toString();
    return Integer.parseInt(name.substring(0, name.length() - ".log".length()));
  }

  private static void copy(Path file, OutputStream out, boolean follow)
      throws IOException, InterruptedException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[8192];
      while (true) {
        int n = in.read(buffer);
        if (n > 0) {
          out.write(buffer, 0, n);
          continue;
        }
        out.flush();
        if (!follow) {
          return;
        }
        Thread.sleep(FOLLOW_POLL);
      }
    }
  }

  /** Drops the CRI prefix of each line; a partial ("P") line continues on the next one. */
  static final class CriLineStripper extends OutputStream {
    private final OutputStream out;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    CriLineStripper(OutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
      if (b != '\n') {
        line.write(b);
        return;
      }
      String text = line.toString(StandardCharsets.UTF_8);
      line.reset();
      String[] parts = text.split(" ", 4);
      boolean partial = parts.length == 4 && parts[2].equals("P");
      String content = parts.length == 4 ? parts[3] : text;
      out.write(content.getBytes(StandardCharsets.UTF_8));
      if (!partial) {
        out.write('\n');
      }
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }
  }
}
