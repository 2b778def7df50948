package dev.kubeboot.runner.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubeboot.runner.pod.PodKey;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Log files in the kubelet's layout, plain (host processes) and in the CRI format. */
class LogFilesTest {
  private static final PodKey POD = new PodKey("kube-system", "etcd-n1");

  @TempDir Path dir;

  private String copy(LogFiles.Format format, boolean previous) throws Exception {
    var out = new ByteArrayOutputStream();
    LogFiles.copy(dir, format, new LogQuery(POD, "uid1", "etcd", previous, false), out);
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void theNewestAttemptIsCurrentAndTheOneBeforeIsPreviousCountingAsNumbers() throws Exception {
    Files.writeString(dir.resolve("2.log"), "two\n");
    Files.writeString(dir.resolve("10.log"), "ten\n");
    Files.writeString(dir.resolve("9.log"), "nine\n");
    Files.writeString(dir.resolve("notes.txt"), "not a log\n");

    assertThat(copy(LogFiles.Format.PLAIN, false)).isEqualTo("ten\n");
    assertThat(copy(LogFiles.Format.PLAIN, true)).isEqualTo("nine\n");
  }

  @Test
  void theCriPrefixIsDroppedAndPartialLinesAreJoined() throws Exception {
    Files.writeString(
        dir.resolve("0.log"),
        """
        2026-01-01T00:00:00.000000001Z stdout F first line
        2026-01-01T00:00:00.000000002Z stderr P half a
        2026-01-01T00:00:00.000000003Z stderr F  line
        """);

    assertThat(copy(LogFiles.Format.CRI, false)).isEqualTo("first line\nhalf a line\n");
  }

  @Test
  void noAttemptOrNoPreviousAttemptIsNamedInTheError() throws Exception {
    assertThatThrownBy(() -> copy(LogFiles.Format.PLAIN, false))
        .isInstanceOf(LogNotFoundException.class)
        .hasMessageContaining("container etcd of pod kube-system/etcd-n1")
        .hasMessageContaining(dir.toString());
    Files.writeString(dir.resolve("0.log"), "only\n");
    assertThatThrownBy(() -> copy(LogFiles.Format.PLAIN, true))
        .isInstanceOf(LogNotFoundException.class)
        .hasMessageContaining("previous container etcd");
  }

  @Test
  void rotatedFilesBesideTheLogAreNotAttempts() throws Exception {
    Files.writeString(dir.resolve("0.log"), "now\n");
    Files.writeString(dir.resolve("0.log.20260101-000000"), "before\n");
    Files.writeString(dir.resolve("0.log.20251231-000000.gz"), "older\n");

    assertThat(copy(LogFiles.Format.PLAIN, false)).isEqualTo("now\n");
    assertThatThrownBy(() -> copy(LogFiles.Format.PLAIN, true))
        .isInstanceOf(LogNotFoundException.class);
  }

  @Test
  void followingGoesOnAcrossARenameAndReopenAndACopyAndTruncate() throws Exception {
    Path log = Files.writeString(dir.resolve("0.log"), "one\n");
    var out = new java.io.ByteArrayOutputStream();
    var sink = java.util.Collections.synchronizedList(new java.util.ArrayList<String>());
    java.io.OutputStream recording =
        new java.io.OutputStream() {
          @Override
          public void write(int b) {
            synchronized (out) {
              out.write(b);
            }
          }

          @Override
          public void write(byte[] b, int off, int len) {
            synchronized (out) {
              out.write(b, off, len);
            }
          }
        };
    Thread follower =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    LogFiles.copy(
                        dir,
                        LogFiles.Format.PLAIN,
                        new LogQuery(POD, "uid1", "etcd", false, true),
                        recording);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  } catch (java.io.IOException e) {
                    sink.add(e.toString());
                  }
                });
    try {
      dev.kubeboot.runner.Eventually.eventually(() -> assertThat(text(out)).isEqualTo("one\n"));
      // Rename and reopen: the last words of the old file, then the new file.
      Files.writeString(log, "two\n", java.nio.file.StandardOpenOption.APPEND);
      Files.move(log, dir.resolve("0.log.20260101-000000"));
      Files.writeString(log, "three\n");
      dev.kubeboot.runner.Eventually.eventually(
          () -> assertThat(text(out)).isEqualTo("one\ntwo\nthree\n"));
      // Copy and truncate: the writer starts at the beginning again.
      try (var channel =
          java.nio.channels.FileChannel.open(log, java.nio.file.StandardOpenOption.WRITE)) {
        channel.truncate(0);
      }
      Files.writeString(log, "4\n", java.nio.file.StandardOpenOption.APPEND);
      dev.kubeboot.runner.Eventually.eventually(
          () -> assertThat(text(out)).isEqualTo("one\ntwo\nthree\n4\n"));
    } finally {
      follower.interrupt();
      follower.join();
    }
    assertThat(sink).isEmpty();
  }

  private static String text(java.io.ByteArrayOutputStream out) {
    synchronized (out) {
      return out.toString(StandardCharsets.UTF_8);
    }
  }
}
