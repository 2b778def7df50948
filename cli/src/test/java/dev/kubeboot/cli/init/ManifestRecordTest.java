package dev.kubeboot.cli.init;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubeboot.cli.io.AtomicFileSink;
import dev.kubeboot.cli.io.FileMode;
import dev.kubeboot.cli.io.FileSink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A manifest write killed between any two of its file operations (a kill -9 of init or join) must
 * leave a manifest the record names as kubeboot's, or a rerun's preflight refuses the node as
 * someone else's.
 */
class ManifestRecordTest {
  @TempDir Path dir;

  /** The real sink, which "dies" (stops doing anything) once it has done {@code allowed} writes. */
  private static final class DyingSink implements FileSink {
    private final FileSink real = new AtomicFileSink();
    private int allowed;

    DyingSink(int allowed) {
      this.allowed = allowed;
    }

    @Override
    public void write(Path file, byte[] content, FileMode mode) throws IOException {
      if (allowed-- <= 0) {
        throw new IOException("killed");
      }
      real.write(file, content, mode);
    }

    @Override
    public Optional<byte[]> read(Path file) throws IOException {
      return real.read(file);
    }

    @Override
    public void delete(Path file) throws IOException {
      real.delete(file);
    }

    @Override
    public void createDirectories(Path d, String posixPermissions) throws IOException {
      real.createDirectories(d, posixPermissions);
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void a_first_write_killed_at_any_step_leaves_no_manifest_or_one_that_is_ours() throws Exception {
    for (int steps = 0; steps <= 3; steps++) {
      Path kube = Files.createDirectory(dir.resolve("first-" + steps));
      Path record = kube.resolve(".kubeboot-manifests.sha256");
      Path manifest = kube.resolve("etcd.yaml");
      try {
        ManifestRecord.write(new DyingSink(steps), record, manifest, bytes("v1"));
      } catch (IOException killed) {
        // the process died here
      }
      assertThat(
              !Files.exists(manifest)
                  || ManifestRecord.ours(new AtomicFileSink(), record, manifest))
          .as("killed after %d writes", steps)
          .isTrue();
    }
  }

  @Test
  void a_replacement_killed_at_any_step_leaves_the_old_or_the_new_manifest_ours() throws Exception {
    for (int steps = 0; steps <= 3; steps++) {
      Path kube = Files.createDirectory(dir.resolve("replace-" + steps));
      Path record = kube.resolve(".kubeboot-manifests.sha256");
      Path manifest = kube.resolve("etcd.yaml");
      ManifestRecord.write(new AtomicFileSink(), record, manifest, bytes("v1"));
      try {
        ManifestRecord.write(new DyingSink(steps), record, manifest, bytes("v2"));
      } catch (IOException killed) {
        // the process died here
      }
      assertThat(ManifestRecord.ours(new AtomicFileSink(), record, manifest))
          .as("killed after %d writes", steps)
          .isTrue();
    }
  }

  @Test
  void once_replaced_the_old_content_is_no_longer_ours_and_an_edit_never_was() throws Exception {
    FileSink sink = new AtomicFileSink();
    Path record = dir.resolve(".kubeboot-manifests.sha256");
    Path manifest = dir.resolve("kube-apiserver.yaml");
    assertThat(ManifestRecord.write(sink, record, manifest, bytes("v1"))).isTrue();
    assertThat(ManifestRecord.write(sink, record, manifest, bytes("v1"))).isFalse();
    assertThat(ManifestRecord.write(sink, record, manifest, bytes("v2"))).isTrue();
    assertThat(Files.readString(record)).hasLineCount(1).endsWith("  kube-apiserver.yaml\n");
    Files.writeString(manifest, "v1");
    assertThat(ManifestRecord.ours(sink, record, manifest)).isFalse();
    Files.writeString(manifest, "edited by someone");
    assertThat(ManifestRecord.ours(sink, record, manifest)).isFalse();
    assertThatThrownBy(() -> new DyingSink(0).write(manifest, bytes("x"), FileMode.MANIFEST))
        .hasMessage("killed");
  }
}
