package dev.kubeboot.runner.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
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

  /** A rotated file's text, uncompressed when it is a .gz. */
  static String text(Path p) throws IOException {
    if (!p.getFileName().toString().endsWith(".gz")) {
      return Files.readString(p);
    }
    try (InputStream in = new GZIPInputStream(Files.newInputStream(p))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static List<String> names(List<Path> files) {
    return files.stream().map(p -> p.getFileName().toString()).toList();
  }

  @Test
  void aSmallLogIsLeftAlone() throws IOException {
    Path log = Files.writeString(dir.resolve("0.log"), "short\n");
    assertThat(rotator.rotateIfNeeded(log)).isFalse();
    assertThat(rotator.rotateIfNeeded(dir.resolve("missing.log"))).isFalse();
    assertThat(rotator.rotateIfNeeded(log, () -> {})).isFalse();
    assertThat(Files.readString(log)).isEqualTo("short\n");
  }

  @Test
  void anOversizedLogMovesIntoFilesOfAtMostTheLimitAtLineEndsAndTheOldestGo() throws IOException {
    Path log = dir.resolve("0.log");
    Files.writeString(log, lines(0, 250)); // 2750 bytes: three pieces
    try (OutputStream writer =
        Files.newOutputStream(log, StandardOpenOption.APPEND, StandardOpenOption.WRITE)) {
      assertThat(rotator.rotateIfNeeded(log)).isTrue();
      // The writer keeps its O_APPEND file and writes at the start again.
      writer.write("after\n".getBytes(StandardCharsets.UTF_8));
    }

    List<Path> rotated = LogRotator.rotated(log);
    // The kubelet's names; every rotated file but the newest compressed.
    assertThat(names(rotated))
        .containsExactly("0.log.20260102-030405-1.gz", "0.log.20260102-030405-2");
    for (Path p : rotated) {
      assertThat(text(p).length()).isLessThanOrEqualTo(1000);
      assertThat(text(p)).endsWith("\n");
    }
    assertThat(Files.readString(log)).isEqualTo("after\n");
    // Nothing lost but what the limit of files dropped: the newest two pieces, in order.
    StringBuilder kept = new StringBuilder();
    for (Path p : rotated) {
      kept.append(text(p));
    }
    assertThat(lines(0, 250)).endsWith(kept.toString());
    assertThat(kept.toString()).startsWith("line 00090");
  }

  @Test
  void repeatedRotationsKeepAtMostMaxFilesMinusOneAndCompressAllButTheNewest() throws IOException {
    Path log = dir.resolve("3.log");
    List<String> all = new ArrayList<>();
    for (int round = 0; round < 6; round++) {
      String text = lines(round * 100, round * 100 + 100);
      all.add(text);
      Files.writeString(log, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      rotator.rotateIfNeeded(log);
      List<Path> rotated = LogRotator.rotated(log);
      assertThat(rotated).hasSizeLessThanOrEqualTo(2);
      for (int i = 0; i < rotated.size(); i++) {
        assertThat(rotated.get(i).getFileName().toString().endsWith(".gz"))
            .as(rotated.get(i).toString())
            .isEqualTo(i < rotated.size() - 1);
      }
    }
    assertThat(Files.size(log)).isZero();
    List<Path> rotated = LogRotator.rotated(log);
    assertThat(text(rotated.getLast())).isEqualTo(all.getLast().substring(990));
  }

  @Test
  void renameAndReopenKeepsEveryByteAndTheKubeletsCount() throws IOException {
    Path log = dir.resolve("0.log");
    AtomicInteger reopened = new AtomicInteger();
    LogRotator.LogReopener runtime =
        () -> {
          reopened.incrementAndGet();
          Files.writeString(log, "", StandardOpenOption.CREATE_NEW);
        };
    List<String> written = new ArrayList<>();
    for (int round = 0; round < 5; round++) {
      String text = String.valueOf(round).repeat(999) + "\n"; // at the limit: one whole file
      written.add(text);
      Files.writeString(log, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      assertThat(rotator.rotateIfNeeded(log, runtime)).isTrue();
      assertThat(Files.size(log)).isZero();
    }
    assertThat(reopened).hasValue(5);
    List<Path> rotated = LogRotator.rotated(log);
    // maxFiles 3: two rotated and the current one; each round's file is a whole piece.
    assertThat(rotated).hasSize(2);
    assertThat(rotated.get(0).getFileName().toString()).endsWith(".gz");
    assertThat(rotated.get(1).getFileName().toString()).doesNotEndWith(".gz");
    assertThat(text(rotated.get(0))).isEqualTo(written.get(3));
    assertThat(text(rotated.get(1))).isEqualTo(written.get(4));
  }

  @Test
  void aFailedReopenPutsTheLogBackForTheNextCheck() throws IOException {
    Path log = Files.writeString(dir.resolve("0.log"), lines(0, 100));
    assertThatThrownBy(
            () ->
                rotator.rotateIfNeeded(
                    log,
                    () -> {
                      throw new IOException("runtime says no");
                    }))
        .hasMessage("runtime says no");
    assertThat(Files.readString(log)).isEqualTo(lines(0, 100));
    assertThat(LogRotator.rotated(log)).isEmpty();
  }

  @Test
  void aLogWrittenFasterThanTheChecksIsCutIntoPiecesAfterTheReopen() throws IOException {
    Path log = Files.writeString(dir.resolve("0.log"), lines(0, 250));
    rotator.rotateIfNeeded(log, () -> Files.writeString(log, "new\n"));
    List<Path> rotated = LogRotator.rotated(log);
    assertThat(names(rotated))
        .containsExactly("0.log.20260102-030405-2.gz", "0.log.20260102-030405-3");
    StringBuilder kept = new StringBuilder();
    for (Path p : rotated) {
      assertThat(text(p).length()).isLessThanOrEqualTo(1000);
      kept.append(text(p));
    }
    assertThat(lines(0, 250)).endsWith(kept.toString());
    assertThat(Files.readString(log)).isEqualTo("new\n");
    try (var files = Files.list(dir)) {
      assertThat(files.filter(p -> p.toString().endsWith(".tmp"))).isEmpty();
    }
  }

  @Test
  void leftoversOfAnInterruptedCompressionAreCleanedUp() throws IOException {
    Path log = Files.writeString(dir.resolve("0.log"), "x".repeat(999) + "\n");
    // A compression that stopped after writing the .gz: the plain twin goes, the .gz stays.
    Path plain = Files.writeString(dir.resolve("0.log.20260101-000000"), "old\n");
    try (OutputStream out =
        new java.util.zip.GZIPOutputStream(
            Files.newOutputStream(dir.resolve("0.log.20260101-000000.gz")))) {
      out.write("old\n".getBytes(StandardCharsets.UTF_8));
    }
    Path tmp = Files.writeString(dir.resolve("0.log.20260101-000001.tmp"), "half");
    rotator.rotateIfNeeded(log, () -> Files.writeString(log, ""));
    assertThat(plain).doesNotExist();
    assertThat(tmp).doesNotExist();
    assertThat(names(LogRotator.rotated(log)))
        .containsExactly("0.log.20260101-000000.gz", "0.log.20260102-030405");
  }
}
