package dev.kubeboot.runner.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubeboot.runner.pod.PodKey;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContainedPathTest {
  private static final Path ROOT = Path.of("/var/lib/kubeboot/runner/pods");
  private static final PodKey POD = new PodKey("kube-system", "etcd-node1");

  @Test
  void aPlainUidNamesTheKubeletsPodDirectory() {
    assertThat(ContainedPath.podDir(ROOT, POD, "0123456789abcdef"))
        .isEqualTo(ROOT.resolve("kube-system_etcd-node1_0123456789abcdef"));
    assertThat(ContainedPath.under(ROOT, "a", "b.log")).isEqualTo(ROOT.resolve("a/b.log"));
  }

  @ParameterizedTest(name = "uid \"{0}\" is refused")
  @ValueSource(strings = {"x/../../../victim", "/etc", "a/b", "..", "x\u0000y", "x\ny", ""})
  void aUidThatIsNoPlainNameIsRefused(String uid) {
    assertThatThrownBy(() -> ContainedPath.podDir(ROOT, POD, uid))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(ROOT.toString());
  }

  @ParameterizedTest(name = "name \"{0}\" is refused")
  @ValueSource(strings = {"..", ".", "../x", "x/..", "a/b", "\t"})
  void aNameThatLeavesTheRootIsRefused(String name) {
    assertThatThrownBy(() -> ContainedPath.under(ROOT, name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("refusing");
  }

  @Test
  void aControlCharacterIsShownEscaped() {
    assertThatThrownBy(() -> ContainedPath.podDir(ROOT, POD, "x\u0001"))
        .hasMessageContaining("x\\u0001")
        .hasMessageContaining("control character");
  }
}
