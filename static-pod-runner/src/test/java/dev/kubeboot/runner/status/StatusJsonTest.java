package dev.kubeboot.runner.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.kubeboot.runner.pod.PodKey;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusJsonTest {
  private static final Instant T = Instant.parse("2026-03-04T05:06:07Z");

  static RunnerStatus sample() {
    ContainerStatus etcd =
        new ContainerStatus(
            "etcd",
            new ContainerState.Running(T.plusSeconds(30)),
            Optional.of(new ContainerState.Terminated(137, "Error", T, T.plusSeconds(20))),
            true,
            true,
            1,
            "registry.k8s.io/etcd:3.6.4-0",
            "process://4242");
    ContainerStatus waiting =
        new ContainerStatus(
            "kube-apiserver",
            new ContainerState.Waiting(
                "CrashLoopBackOff",
                "back-off 20s restarting failed container=kube-apiserver"
                    + " pod=kube-apiserver-n1_kube-system(abc)"),
            Optional.of(new ContainerState.Terminated(1, "Error", T, T.plusSeconds(2))),
            false,
            false,
            2,
            "registry.k8s.io/kube-apiserver:v1.34.0",
            "process://4243");
    PodStatus pod1 =
        new PodStatus(
            new PodKey("kube-system", "etcd-n1"),
            "0123456789abcdef0123456789abcdef",
            "/etc/kubernetes/manifests/etcd.yaml",
            PodPhase.RUNNING,
            List.of(
                new PodCondition("PodScheduled", true, T),
                new PodCondition("Initialized", true, T),
                new PodCondition("ContainersReady", true, T.plusSeconds(31)),
                new PodCondition("Ready", true, T.plusSeconds(31))),
            List.of(),
            List.of(etcd),
            Optional.of(T),
            "10.0.0.5",
            "10.0.0.5");
    PodStatus pod2 =
        new PodStatus(
            new PodKey("kube-system", "kube-apiserver-n1"),
            "abc",
            "/etc/kubernetes/manifests/kube-apiserver.yaml",
            PodPhase.RUNNING,
            List.of(new PodCondition("Ready", false, T)),
            List.of(
                new ContainerStatus(
                    "init",
                    new ContainerState.Terminated(0, "Completed", T, T),
                    Optional.empty(),
                    false,
                    false,
                    0,
                    "busybox",
                    "process://1")),
            List.of(waiting),
            Optional.of(T),
            "10.0.0.5",
            "");
    return new RunnerStatus(
        77,
        T,
        "process",
        "/etc/kubernetes/manifests",
        "n1",
        "off",
        List.of(pod2, pod1),
        List.of(
            new FileError("/etc/kubernetes/manifests/x.yaml", "kind is Service, expected Pod")));
  }

  @Test
  void theStatusReadsBackAsItWasWritten() {
    RunnerStatus status = sample();

    assertThat(RunnerStatusReader.parse(StatusJson.write(status))).isEqualTo(status);
  }

  @Test
  void podsAreSortedAndFieldsAreNamedAsInTheKubernetesApi() throws Exception {
    Map<String, Object> json = JSON.std.mapFrom(StatusJson.write(sample()));

    assertThat(json).containsEntry("kind", "RunnerStatus");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> pods = (List<Map<String, Object>>) json.get("pods");
    assertThat(pods)
        .extracting(p -> (Object) ((Map<?, ?>) p.get("metadata")).get("name"))
        .containsExactly("etcd-n1", "kube-apiserver-n1");
    Map<?, ?> status = (Map<?, ?>) pods.get(0).get("status");
    assertThat(status.get("phase")).isEqualTo("Running");
    assertThat(status.get("startTime")).isEqualTo("2026-03-04T05:06:07Z");
    assertThat(status.get("podIP")).isEqualTo("10.0.0.5");
    Map<?, ?> container = (Map<?, ?>) ((List<?>) status.get("containerStatuses")).get(0);
    List<Object> keys = new java.util.ArrayList<>(container.keySet());
    assertThat(keys)
        .containsExactly(
            "name",
            "state",
            "lastState",
            "ready",
            "started",
            "restartCount",
            "image",
            "containerID");
    assertThat(container.get("state"))
        .isEqualTo(Map.of("running", Map.of("startedAt", "2026-03-04T05:06:37Z")));
    assertThat(container.get("lastState"))
        .isEqualTo(
            Map.of(
                "terminated",
                Map.of(
                    "exitCode", 137,
                    "reason", "Error",
                    "startedAt", "2026-03-04T05:06:07Z",
                    "finishedAt", "2026-03-04T05:06:27Z")));
    Map<?, ?> condition = (Map<?, ?>) ((List<?>) status.get("conditions")).get(3);
    assertThat(condition)
        .isEqualTo(
            Map.of(
                "type", "Ready", "status", "True", "lastTransitionTime", "2026-03-04T05:06:38Z"));
    Map<?, ?> second = (Map<?, ?>) pods.get(1).get("status");
    assertThat(second.containsKey("podIP")).isFalse();
    assertThat(((Map<?, ?>) ((List<?>) second.get("containerStatuses")).get(0)).get("state"))
        .isEqualTo(
            Map.of(
                "waiting",
                Map.of(
                    "reason",
                    "CrashLoopBackOff",
                    "message",
                    "back-off 20s restarting failed container=kube-apiserver"
                        + " pod=kube-apiserver-n1_kube-system(abc)")));
  }

  @Test
  void readingAMissingStateFileSaysSo(@TempDir Path dir) {
    assertThatThrownBy(() -> RunnerStatusReader.read(dir.resolve("status.json")))
        .isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void readingSomethingElseNamesTheFileAndTheField(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("status.json"), "{\"kind\":\"Pod\"}");

    assertThatThrownBy(() -> RunnerStatusReader.read(file))
        .isInstanceOf(StatusFormatException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("kind is Pod, expected RunnerStatus");
  }

  @Test
  void readingBrokenJsonSaysWhatItExpected() {
    assertThatThrownBy(() -> RunnerStatusReader.parse("{\"kind\": "))
        .isInstanceOf(StatusFormatException.class)
        .hasMessageContaining("runner status");
  }
}
