package dev.kubeboot.runner.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogRotatorTest {
  @TempDir Path dir;

  private final LogRotator rotator =
      new LogRotator(
          new LogRotation(1000, 3),
          Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC));

  private static String lines(int from, int to) {
    StringBuilder b = new StringBuilder();
    for (int i = from; i < to; i++) {
      b.append(String.format("line %05d%n", i));
    }
    return b.toString();
  }

  @Test
  void aSmallLogIsLeftAlone() throws IOException {
    Path log = Files.writeString(dir.resolve("0.log"), "short\n");
    assertThat(rotator.rotateIfNeeded(log)).isFalse();
    assertThat(rotator.rotateIfNeeded(dir.resolve("missing.log"))).isFalse();
    assertThat(Files.readString(log)).isEqualTo("short\n");
  }

  @Test
  void anOversizedLogMovesIntoFilesOfAtMostTheLimitAndTheOldestGo() throws IOException {
    Path log = dir.resolve("0.log");
    Files.writeString(log, lines(0, 250)); // 2750 bytes: three pieces
    try (OutputStream writer =
        Files.newOutputStream(log, StandardOpenOption.APPEND, StandardOpenOption.WRITE)) {
      assertThat(rotator.rotateIfNeeded(log)).isTrue();
      // The writer keeps its O_APPEND file and writes at the start again.
      writer.write("after\n".getBytes(StandardCharsets.UTF_8));
    }

    List<Path> rotated = LogRotator.rotated(log);
    assertThat(rotated)
        .extracting(p -> p.getFileName().toString())
        .containsExactly("0.log.20260102-030405-1", "0.log.20260102-030405-2");
    for (Path p : rotated) {
      assertThat(Files.size(p)).isLessThanOrEqualTo(1000);
    }
    assertThat(Files.readString(log)).isEqualTo("after\n");
    // Nothing lost but what the limit of files dropped: the newest two pieces, in order.
    StringBuilder kept = new StringBuilder();
    for (Path p : rotated) {
      kept.append(Files.readString(p));
    }
    assertThat(lines(0, 250)).endsWith(kept.toString());
    assertThat(kept.length()).isEqualTo(1750);
  }

  @Test
  void repeatedRotationsKeepAtMostMaxFilesMinusOne() throws IOException {
    Path log = dir.resolve("3.log");
    List<String> all = new ArrayList<>();
    for (int round = 0; round < 6; round++) {
      String text = lines(round * 100, round * 100 + 100);
      all.add(text);
      Files.writeString(log, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      rotator.rotateIfNeeded(log);
      assertThat(LogRotator.rotated(log)).hasSizeLessThanOrEqualTo(2);
    }
    assertThat(Files.size(log)).isZero();
    List<Path> rotated = LogRotator.rotated(log);
    assertThat(Files.readString(rotated.getLast())).isEqualTo(all.getLast().substring(1000));
  }
}
