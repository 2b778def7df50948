package dev.kubeboot.runner.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubeboot.runner.TestPods;
import dev.kubeboot.runner.pod.Container;
import dev.kubeboot.runner.pod.Resources;
import dev.kubeboot.runner.pod.StaticPod;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EngineResourcesTest {

  private static EngineResources of(Map<String, String> requests, Map<String, String> limits)
      throws ContainerStartException {
    Container plain = TestPods.container("app");
    Container c =
        EnginePods.with(
            plain,
            plain.imagePullPolicy(),
            plain.args(),
            plain.env(),
            plain.workingDir(),
            plain.volumeMounts(),
            plain.securityContext(),
            new Resources(requests, limits));
    StaticPod pod = TestPods.pod("web", "uid1", c);
    return EngineResources.of(pod, c);
  }

  @Test
  void kubeadms_apiserver_request_becomes_shares_and_nothing_else() throws Exception {
    assertThat(of(Map.of("cpu", "250m"), Map.of()))
        .isEqualTo(
            new EngineResources(
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(256L)));
  }

  @Test
  void limits_convert_to_each_engines_units_and_stand_in_for_a_missing_request() throws Exception {
    EngineResources r = of(Map.of(), Map.of("cpu", "1500m", "memory", "64Mi"));
    assertThat(r.cpuQuotaMicros()).contains(150_000L);
    assertThat(r.nanoCpus()).contains(1_500_000_000L);
    assertThat(r.memoryLimitBytes()).contains(64L * 1024 * 1024);
    assertThat(r.cpuShares()).contains(1536L);
  }

  @Test
  void no_resources_sets_nothing() throws Exception {
    assertThat(of(Map.of(), Map.of()))
        .isEqualTo(
            new EngineResources(
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()));
  }

  @Test
  void a_bad_quantity_names_the_container_the_pod_and_the_field() {
    assertThatThrownBy(() -> of(Map.of(), Map.of("memory", "lots")))
        .isInstanceOfSatisfying(
            ContainerStartException.class,
            e -> assertThat(e.reason()).isEqualTo("CreateContainerConfigError"))
        .hasMessageStartingWith(
            "container \"app\" of pod kube-system/web-node1: resources.limits.memory \"lots\": ");
    assertThatThrownBy(() -> of(Map.of("cpu", "1e400"), Map.of()))
        .hasMessageContaining("resources.requests.cpu \"1e400\"");
  }
}
