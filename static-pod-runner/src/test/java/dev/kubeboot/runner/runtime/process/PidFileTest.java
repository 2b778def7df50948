package dev.kubeboot.runner.runtime.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubeboot.runner.pod.PodKey;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PidFileTest {
  @Test
  void survivesARoundTripThroughJson() {
    PidFile pf =
        new PidFile(
            4242,
            987654321L,
            new PodKey("kube-system", "etcd-node1"),
            "0123456789abcdef0123456789abcdef",
            "etcd",
            3,
            Instant.parse("2026-11-25T12:00:00.123456789Z"),
            "abcdef0123456789",
            Path.of("/var/lib/kubeboot/runner/pods/weird \"path\"\\ü\tx/etcd/3.log"));
    assertThat(PidFile.parse(pf.toJson())).isEqualTo(pf);
    assertThat(pf.handle().id()).isEqualTo("4242");
  }

  @Test
  void rejectsWhatIsNotAPidFile() {
    assertThatThrownBy(() -> PidFile.parse("[1,2]")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PidFile.parse("{\"pid\": 1}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("startTicks");
    assertThatThrownBy(() -> PidFile.parse("{not json"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
