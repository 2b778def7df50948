package dev.kubeboot.cli.init;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NodePodCidrTest {
  @ParameterizedTest(name = "podSubnet {0} gives this node {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "10.244.0.0/16|10.244.0.0/24",
        "192.168.0.0/24|192.168.0.0/24",
        "10.244.0.0/26|10.244.0.0/26",
        "fd00:10:244::/56|fd00:10:244::/64",
        "10.244.0.0/16,fd00:10:244::/56|10.244.0.0/24,fd00:10:244::/64"
      })
  void theFirstNodeGetsTheFirstSlice(String podSubnet, String slice) {
    assertThat(NodePodCidr.of(podSubnet)).isEqualTo(slice);
  }

  @ParameterizedTest(name = "Kubernetes {0} pauses with {1}")
  @CsvSource({
    "v1.34.2, registry.k8s.io/pause:3.10.1",
    "1.34, registry.k8s.io/pause:3.10.1",
    "v1.35.0, registry.k8s.io/pause:3.10.1",
    "v1.33.5, registry.k8s.io/pause:3.10",
    "v1.31.0, registry.k8s.io/pause:3.10",
    "v1.30.4, registry.k8s.io/pause:3.9",
    "latest, registry.k8s.io/pause:3.10.1"
  })
  void kubeadmsPauseImage(String version, String image) {
    assertThat(PauseImage.of("registry.k8s.io", version)).isEqualTo(image);
  }
}
