package dev.kubeboot.runner.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeboot.runner.pod.EnvVar;
import dev.kubeboot.runner.pod.IpField;
import dev.kubeboot.runner.pod.StaticPod;
import dev.kubeboot.runner.runtime.process.ProcessPods;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContainerConfigHashTest {
  private static String hash(EnvVar var) {
    StaticPod pod =
        ProcessPods.pod(
            "web",
            ProcessPods.container(
                "app",
                "registry.k8s.io/app:v1",
                List.of("app"),
                List.of(var),
                List.of(),
                List.of()));
    return ContainerConfigHash.of(pod, pod.spec().containers().get(0));
  }

  @Test
  void aDeferredPodIpHashesAsTheFieldItNamesNeverAsATextThatLooksLikeIt() {
    String primary = hash(EnvVar.podIPs("IP", IpField.PRIMARY));

    assertThat(primary)
        .isEqualTo(hash(EnvVar.podIPs("IP", IpField.PRIMARY)))
        .isNotEqualTo(hash(EnvVar.podIPs("IP", IpField.ALL)))
        .isNotEqualTo(hash(new EnvVar("IP", "status.podIP")))
        .isNotEqualTo(hash(EnvVar.field("IP", "status.podIP")))
        .isNotEqualTo(hash(EnvVar.podIPs("OTHER", IpField.PRIMARY)));
  }

  @Test
  void aValueResolvedWhenReadHashesAsTheSameLiteralValue() {
    // Both give the container the same text: a runner upgrade does not replace it for that.
    assertThat(hash(EnvVar.field("NODE", "node-1"))).isEqualTo(hash(new EnvVar("NODE", "node-1")));
    assertThat(hash(new EnvVar("NODE", "node-1"))).isNotEqualTo(hash(new EnvVar("NODE", "node-2")));
  }
}
