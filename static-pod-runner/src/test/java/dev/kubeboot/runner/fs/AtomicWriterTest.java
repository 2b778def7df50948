package dev.kubeboot.runner.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicWriterTest {
  @TempDir Path dir;

  @Test
  void theFileGetsItsContentAndExactlyItsModeWhateverTheUmask() throws Exception {
    Path file = dir.resolve("shared.txt");
    // The process umask (022 here) would drop the group and other write bits at creation.
    AtomicWriter.write(file, bytes("hello"), PosixFilePermissions.fromString("rw-rw-rw-"));

    assertThat(file).hasContent("hello");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-rw-rw-");
    assertThat(names()).containsExactly("shared.txt");
  }

  @Test
  void aStreamedWriteThatFailsHalfWayLeavesTheOldFileAndNoTempFile() throws Exception {
    Path file = Files.writeString(dir.resolve("snapshot.db"), "old snapshot");

    assertThatThrownBy(
            () ->
                AtomicWriter.write(
                    file,
                    PosixFilePermissions.fromString("rw-------"),
                    AtomicWriter.Durability.SYNCED,
                    out -> {
                      out.write(bytes("half of a new one"));
                      throw new IllegalStateException("the stream broke off");
                    }))
        .hasMessage("the stream broke off");

    assertThat(file).hasContent("old snapshot");
    assertThat(names()).containsExactly("snapshot.db");

    AtomicWriter.write(
        file,
        PosixFilePermissions.fromString("rw-------"),
        AtomicWriter.Durability.SYNCED,
        out -> {
          for (int i = 0; i < 3; i++) {
            out.write(bytes("chunk" + i + ";"));
          }
        });
    assertThat(file).hasContent("chunk0;chunk1;chunk2;");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
  }

  @Test
  void aLinkPlantedAtTheOldFixedTempNameIsNotFollowedAndItsTargetIsUntouched() throws Exception {
    Path victim = Files.writeString(dir.resolve("victim"), "precious");
    Files.createSymbolicLink(dir.resolve(".status.json.tmp"), victim);
    Path file = dir.resolve("status.json");

    AtomicWriter.write(file, bytes("{}"), PosixFilePermissions.fromString("rw-r--r--"));

    assertThat(victim).hasContent("precious");
    assertThat(Files.isSymbolicLink(dir.resolve(".status.json.tmp"))).isTrue();
    assertThat(Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)).isTrue();
    assertThat(file).hasContent("{}");
  }

  @Test
  void aLinkPlantedAtTheTargetIsReplacedNotWrittenThrough() throws Exception {
    Path victim = Files.writeString(dir.resolve("victim"), "precious");
    Path file = Files.createSymbolicLink(dir.resolve("runner.pid"), victim);

    AtomicWriter.write(
        file,
        bytes("42\n"),
        PosixFilePermissions.fromString("rw-------"),
        AtomicWriter.Durability.UNSYNCED);

    assertThat(victim).hasContent("precious");
    assertThat(Files.isSymbolicLink(file)).isFalse();
    assertThat(file).hasContent("42\n");
  }

  @Test
  void aFailedWriteLeavesTheTargetAsItWasAndNoTempFile() throws Exception {
    Path file = Files.writeString(dir.resolve("conf"), "old");
    Files.createDirectory(dir.resolve("sub"));
    Path intoADirectory = dir.resolve("sub");
    Files.writeString(intoADirectory.resolve("keep"), "x");

    // Renaming a file over a non-empty directory fails.
    assertThatThrownBy(
            () ->
                AtomicWriter.write(
                    intoADirectory, bytes("new"), PosixFilePermissions.fromString("rw-------")))
        .isInstanceOf(java.io.IOException.class);
    assertThatThrownBy(
            () ->
                AtomicWriter.write(
                    dir.resolve("missing/conf"),
                    bytes("new"),
                    PosixFilePermissions.fromString("rw-------")))
        .isInstanceOf(NoSuchFileException.class);

    assertThat(file).hasContent("old");
    assertThat(names()).containsExactly("conf", "sub");
  }

  @Test
  void concurrentWritersEachLeaveAWholeFile() throws Exception {
    Path file = dir.resolve("status.json");
    List<String> contents = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      contents.add(String.valueOf((char) ('a' + i)).repeat(64 * 1024));
    }
    try (var pool = Executors.newFixedThreadPool(4)) {
      List<Future<?>> writes = new ArrayList<>();
      for (int round = 0; round < 5; round++) {
        for (String content : contents) {
          writes.add(
              pool.submit(
                  () -> {
                    AtomicWriter.write(
                        file,
                        bytes(content),
                        PosixFilePermissions.fromString("rw-r--r--"),
                        AtomicWriter.Durability.UNSYNCED);
                    return null;
                  }));
        }
      }
      for (Future<?> w : writes) {
        w.get();
      }
    }
    assertThat(contents).contains(Files.readString(file));
    assertThat(names()).containsExactly("status.json");
  }

  @Test
  void leftoversOfAKilledWriterGoAndAYoungTempFileStays() throws Exception {
    Path file = dir.resolve("admin.conf");
    Path old = Files.writeString(dir.resolve(".admin.conf.tmp-00000000deadbeef"), "key");
    Path young = Files.writeString(dir.resolve(".admin.conf.tmp-00000000feedface"), "key");
    Path other = Files.writeString(dir.resolve(".other.conf.tmp-00000000deadbeef"), "key");
    Instant now = Instant.now();
    Files.setLastModifiedTime(old, FileTime.from(now.minus(Duration.ofMinutes(5))));
    Files.setLastModifiedTime(other, FileTime.from(now.minus(Duration.ofMinutes(5))));
    Files.setLastModifiedTime(young, FileTime.from(now.plus(Duration.ofSeconds(5))));

    AtomicWriter.removeLeftovers(file, now);

    assertThat(old).doesNotExist();
    assertThat(young).exists();
    assertThat(other).exists();
  }

  private List<String> names() throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
