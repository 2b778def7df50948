package dev.kubeboot.runner.runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Container logs kept as files in the kubelet's layout, {@code <container dir>/<attempt>.log}: the
 * process runtime's plain output, and a CRI runtime's lines with their {@code <time> <stream>
 * <P|F>} prefix, which is dropped as {@code kubectl logs} drops it. As {@code kubectl logs}, only
 * the file being written is shown: the rotated ones beside it ({@code <attempt>.log.<time>[.gz]},
 * see {@link LogRotator}) are not attempts.
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

  /**
   * Copies {@code file}; with {@code follow}, goes on as it grows and across rotations, as {@code
   * kubectl logs -f} does: a file renamed away (rename and reopen) is read to its end and the new
   * one from its start; a truncated one (copy and truncate) from its start again.
   */
  private static void copy(Path file, OutputStream out, boolean follow)
      throws IOException, InterruptedException {
    SeekableByteChannel in = Files.newByteChannel(file);
    try {
      Object key = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
      ByteBuffer buffer = ByteBuffer.allocate(8192);
      while (true) {
        int n = in.read(buffer.clear());
        if (n > 0) {
          out.write(buffer.array(), 0, n);
          continue;
        }
        out.flush();
        if (!follow) {
          return;
        }
        Optional<Object> now = fileKey(file);
        if (now.isPresent() && !now.get().equals(key)) {
          // Rotated by rename: what was still written to the old file has been read above.
          in.close();
          in = Files.newByteChannel(file);
          key = now.get();
          continue;
        }
        if (in.size() < in.position()) {
          in.position(0);
          continue;
        }
        Thread.sleep(FOLLOW_POLL);
      }
    } finally {
      in.close();
    }
  }

  private static Optional<Object> fileKey(Path file) throws IOException {
    try {
      return Optional.ofNullable(Files.readAttributes(file, BasicFileAttributes.class).fileKey());
    } catch (NoSuchFileException e) {
      return Optional.empty();
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
