package dev.kubeboot.cli.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileSinkTest {
  @TempDir Path dir;

  @Test
  void writesWithExactModesAndLeavesNoTempFile() throws Exception {
    var sink = new AtomicFileSink();
    Path key = dir.resolve("pki/etcd/server.key");
    sink.write(key, "secret".getBytes(StandardCharsets.UTF_8), FileMode.PRIVATE);
    assertThat(key).hasContent("secret");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key.getParent())))
        .isEqualTo("rwx------");
    Path cert = dir.resolve("pki/ca.crt");
    sink.write(cert, "cert".getBytes(StandardCharsets.UTF_8), FileMode.PUBLIC);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cert)))
        .isEqualTo("rw-r--r--");
    try (var files = Files.list(dir.resolve("pki"))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("etcd", "ca.crt");
    }
  }

  @Test
  void aWriteRemovesTempFilesAKilledRunLeftOfThatFileOnly() throws Exception {
    Path pki = Files.createDirectories(dir.resolve("pki"));
    Path leftover = Files.writeString(pki.resolve(".ca.key.tmp-1f2e3d"), "half a key");
    Path otherFiles = Files.writeString(pki.resolve(".sa.key.tmp-4c5b6a"), "half another key");
    var old = java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 60_000);
    Files.setLastModifiedTime(leftover, old);
    Files.setLastModifiedTime(otherFiles, old);

    new AtomicFileSink()
        .write(pki.resolve("ca.key"), "key".getBytes(StandardCharsets.UTF_8), FileMode.PRIVATE);

    assertThat(leftover).doesNotExist();
    assertThat(otherFiles).exists();
    assertThat(pki.resolve("ca.key")).hasContent("key");
  }

  @Test
  void replacesAnExistingFileWhole() throws Exception {
    var sink = new AtomicFileSink();
    Path file = dir.resolve("manifests/etcd.yaml");
    sink.write(file, "old".getBytes(StandardCharsets.UTF_8), FileMode.MANIFEST);
    sink.write(file, "new".getBytes(StandardCharsets.UTF_8), FileMode.MANIFEST);
    assertThat(file).hasContent("new");
    assertThat(sink.read(file))
        .hasValueSatisfying(
            b -> assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("new"));
    assertThat(sink.read(dir.resolve("missing"))).isEmpty();
  }

  @Test
  void dryRunWritesNothingHidesSecretsAndRemembersPlannedWrites() throws Exception {
    var text = new StringWriter();
    var sink = new DryRunFileSink(new PrintWriter(text), true);
    Path key = dir.resolve("pki/ca.key");
    sink.write(
        key, "-----BEGIN RSA PRIVATE KEY-----".getBytes(StandardCharsets.UTF_8), FileMode.PRIVATE);
    sink.write(
        dir.resolve("manifests/etcd.yaml"),
        "kind: Pod".getBytes(StandardCharsets.UTF_8),
        FileMode.MANIFEST);
    assertThat(dir.resolve("pki")).doesNotExist();
    assertThat(text.toString())
        .contains("Would write file " + key)
        .contains("content hidden")
        .contains("kind: Pod")
        .doesNotContain("BEGIN RSA PRIVATE KEY");
    assertThat(sink.exists(key)).isTrue();
    assertThat(sink.plannedFiles()).hasSize(2);
  }

  @Test
  void aDirectoryAnotherUserOwnsIsRefusedBeforeAnythingIsWrittenInIt() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        (int) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0,
        "needs root, to give the directory to another user");
    Path kubernetes = Files.createDirectories(dir.resolve("kubernetes"));
    Files.setOwner(
        kubernetes,
        kubernetes.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));

    var sink = new AtomicFileSink();
    assertThatThrownBy(
            () ->
                sink.write(
                    kubernetes.resolve("pki/ca.key"),
                    "key".getBytes(StandardCharsets.UTF_8),
                    FileMode.PRIVATE))
        .isInstanceOf(dev.kubeboot.runner.fs.UntrustedPathException.class)
        .hasMessageContaining(kubernetes + " on the way to it is owned by nobody");
    assertThat(kubernetes).isEmptyDirectory();
  }
}
