package dev.kubeboot.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlagsTest {
  @Test
  void flagsAsManifestsWriteThemLastOneWinsAndBareMeansTrue() {
    Flags flags =
        Flags.parse(
            List.of(
                "--secure-port=6443",
                "--authorization-mode=Node,RBAC",
                "--secure-port=7443",
                "--profiling"));
    assertThat(flags.port("secure-port", 1)).isEqualTo(7443);
    assertThat(flags.list("authorization-mode")).containsExactly("Node", "RBAC");
    assertThat(flags.bool("profiling", false)).isTrue();
    assertThat(flags.get("bind-address", "0.0.0.0")).isEqualTo("0.0.0.0");
  }

  @Test
  void aMissingRequiredFileNamesTheFlagAndThePath(@TempDir Path dir) {
    Flags flags = Flags.parse(List.of("--tls-cert-file=" + dir.resolve("apiserver.crt")));
    assertThatThrownBy(() -> flags.requiredFile("tls-cert-file"))
        .isInstanceOf(StandInConfigException.class)
        .hasMessageContaining("--tls-cert-file=" + dir.resolve("apiserver.crt"));
    assertThatThrownBy(() -> flags.requiredFile("etcd-cafile"))
        .hasMessageContaining("--etcd-cafile is required");
  }

  @Test
  void badValuesAreRefusedWithTheValue() {
    assertThatThrownBy(() -> Flags.parse(List.of("--secure-port=https")).port("secure-port", 1))
        .hasMessageContaining("--secure-port=https is not a port");
    assertThatThrownBy(() -> Flags.parse(List.of("positional")))
        .hasMessageContaining("unexpected argument \"positional\"");
  }
}
