package dev.kubeboot.runner.runtime.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExecutableResolverTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "etcd with a tag                    | registry.k8s.io/etcd:3.5.21-0                 | etcd",
        "the apiserver                      | registry.k8s.io/kube-apiserver:v1.34.2        |"
            + " kube-apiserver",
        "no tag                             | registry.k8s.io/kube-scheduler                |"
            + " kube-scheduler",
        "a registry with a port             | localhost:5000/team/etcd:3.6.4-0              | etcd",
        "a digest                           | registry.k8s.io/etcd@sha256:0123abcd          | etcd",
        "a tag and a digest                 | registry.k8s.io/etcd:3.6.4-0@sha256:0123abcd  | etcd",
        "a bare name                        | etcd                                          | etcd",
      })
  void mapsAnImageToTheBinaryOfTheSameName(String name, String image, String binary) {
    assertThat(ExecutableResolver.binaryForImage(image)).isEqualTo(binary);
  }

  @Test
  void binDirsComeBeforePath(@TempDir Path tmp) throws IOException {
    Path first = executable(tmp.resolve("bin1"), "tool");
    executable(tmp.resolve("bin2"), "tool");
    ExecutableResolver resolver = new ExecutableResolver(List.of(tmp.resolve("bin1")));
    assertThat(resolver.resolve("tool", tmp.resolve("bin2").toString())).contains(first);
    assertThat(resolver.resolve("sh", "/usr/bin:/bin")).isPresent();
    assertThat(resolver.resolve("no-such-tool", "/usr/bin:/bin")).isEmpty();
  }

  @Test
  void anAbsolutePathMissingOnTheHostIsLookedUpByName(@TempDir Path tmp) throws IOException {
    Path etcd = executable(tmp.resolve("bin"), "etcd");
    ExecutableResolver resolver = new ExecutableResolver(List.of(tmp.resolve("bin")));
    assertThat(resolver.resolve("/usr/local/bin/etcd", "")).contains(etcd);
    assertThat(resolver.resolve("/bin/sh", "")).contains(Path.of("/bin/sh"));
  }

  @Test
  void aFileThatIsNotExecutableIsNotFound(@TempDir Path tmp) throws IOException {
    Files.createDirectories(tmp.resolve("bin"));
    Files.writeString(tmp.resolve("bin/data"), "x");
    assertThat(new ExecutableResolver(List.of(tmp.resolve("bin"))).resolve("data", "")).isEmpty();
  }

  static Path executable(Path dir, String name) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve(name);
    Files.writeString(file, "#!/bin/sh\nexec sleep 1000\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }
}
