package dev.kubeboot.runner.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeboot.runner.pod.PodKey;
import dev.kubeboot.runner.status.ContainerState;
import dev.kubeboot.runner.status.ContainerStatus;
import dev.kubeboot.runner.status.FileError;
import dev.kubeboot.runner.status.PodPhase;
import dev.kubeboot.runner.status.PodStatus;
import dev.kubeboot.runner.status.RunnerStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RunnerMetricsTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final PodKey ETCD = new PodKey("kube-system", "etcd-node1");

  private final AtomicReference<RunnerStatus> status = new AtomicReference<>(runner(List.of()));
  private final RunnerMetrics metrics = new RunnerMetrics(status::get);

  private static RunnerStatus runner(List<PodStatus> pods) {
    return runner(pods, List.of());
  }

  private static RunnerStatus runner(List<PodStatus> pods, List<FileError> errors) {
    return new RunnerStatus(
        1, T0, "process", "", "/etc/kubernetes/manifests", "node1", "off", pods, errors);
  }

  private static PodStatus pod(String name, ContainerStatus... containers) {
    return new PodStatus(
        new PodKey("kube-system", name),
        "uid-" + name,
        "/etc/kubernetes/manifests/" + name + ".yaml",
        PodPhase.RUNNING,
        List.of(),
        List.of(),
        List.of(containers),
        Optional.of(T0),
        "10.0.0.5",
        "10.0.0.5");
  }

  private static ContainerStatus running(String name) {
    return new ContainerStatus(
        name,
        new ContainerState.Running(T0),
        Optional.empty(),
        true,
        true,
        0,
        "img",
        "process://1");
  }

  private static ContainerStatus backingOff(String name) {
    ContainerState.Terminated last = new ContainerState.Terminated(1, "Error", T0, T0);
    return new ContainerStatus(
        name,
        new ContainerState.Waiting("CrashLoopBackOff", "back-off 10s"),
        Optional.of(last),
        false,
        false,
        1,
        "img",
        "process://2");
  }

  private static ContainerStatus creating(String name) {
    return ContainerStatus.waiting(name, "img", "ContainerCreating");
  }

  @Test
  void podAndContainerGaugesFollowTheStatusAtEachScrape() {
    assertThat(MetricsText.value(metrics.scrape(), "kubelet_running_pods")).hasValue(0);

    status.set(
        runner(
            List.of(
                pod("etcd-node1", running("etcd")),
                pod("kube-apiserver-node1", running("kube-apiserver"), backingOff("sidecar")),
                pod("kube-scheduler-node1", backingOff("kube-scheduler")),
                pod("kube-controller-manager-node1", creating("kube-controller-manager"))),
            List.of(new FileError("/etc/kubernetes/manifests/bad.yaml", "not a pod"))));

    String text = metrics.scrape();
    assertThat(MetricsText.value(text, "kubelet_running_pods")).hasValue(2);
    assertThat(
            MetricsText.value(
                text, "kubelet_running_containers", Map.of("container_state", "running")))
        .hasValue(2);
    assertThat(
            MetricsText.value(
                text, "kubelet_running_containers", Map.of("container_state", "exited")))
        .hasValue(2);
    assertThat(MetricsText.value(text, "kubeboot_manifest_errors")).hasValue(1);
  }

  @Test
  void countersCountWithTheKubeletsLabels() {
    metrics.containerStarted(RunnerMetrics.ContainerType.CONTAINER);
    metrics.containerStarted(RunnerMetrics.ContainerType.CONTAINER);
    metrics.containerStarted(RunnerMetrics.ContainerType.INIT_CONTAINER);
    metrics.containerStartFailed(RunnerMetrics.ContainerType.CONTAINER, "ErrImagePull");
    metrics.probed("Liveness", true, ETCD, "etcd");
    metrics.probed("Liveness", false, ETCD, "etcd");
    metrics.probed("Liveness", false, ETCD, "etcd");
    metrics.mirrorApiError();

    String text = metrics.scrape();
    assertThat(
            MetricsText.value(
                text, "kubelet_started_containers_total", Map.of("container_type", "container")))
        .hasValue(2);
    assertThat(
            MetricsText.value(
                text,
                "kubelet_started_containers_total",
                Map.of("container_type", "init_container")))
        .hasValue(1);
    assertThat(
            MetricsText.value(
                text,
                "kubelet_started_containers_errors_total",
                Map.of("container_type", "container", "code", "ErrImagePull")))
        .hasValue(1);
    Map<String, String> failed =
        Map.of(
            "probe_type", "Liveness",
            "result", "failed",
            "container", "etcd",
            "pod", "etcd-node1",
            "namespace", "kube-system");
    assertThat(MetricsText.value(text, "prober_probe_total", failed)).hasValue(2);
    assertThat(MetricsText.value(text, "kubeboot_mirror_pod_api_errors_total")).hasValue(1);
  }

  @Test
  void restartsAndBackoffArePerContainerAndBackoffGoesWithThePod() {
    metrics.backoff(ETCD, "etcd", Duration.ofSeconds(20));
    Map<String, String> etcd =
        Map.of("namespace", "kube-system", "pod", "etcd-node1", "container", "etcd");
    assertThat(MetricsText.value(metrics.scrape(), "kubeboot_crash_backoff_seconds", etcd))
        .hasValue(20);

    metrics.containerRestarted(ETCD, "etcd");
    metrics.containerRestarted(ETCD, "etcd");

    String text = metrics.scrape();
    assertThat(MetricsText.value(text, "kubeboot_container_restarts_total", etcd)).hasValue(2);
    assertThat(MetricsText.value(text, "kubeboot_crash_backoff_seconds", etcd)).hasValue(0);

    metrics.podRemoved(ETCD, List.of("etcd"));
    assertThat(MetricsText.value(metrics.scrape(), "kubeboot_crash_backoff_seconds", etcd))
        .isEmpty();
  }

  @Test
  void durationsAreHistogramsInSeconds() {
    metrics.podStarted(Duration.ofMillis(1500));
    metrics.synced(Duration.ofMillis(700));
    metrics.podWorkerOperation("kill", Duration.ofMillis(30));

    String text = metrics.scrape();
    assertThat(MetricsText.value(text, "kubelet_pod_start_duration_seconds_count")).hasValue(1);
    assertThat(MetricsText.value(text, "kubelet_pod_start_duration_seconds_sum")).hasValue(1.5);
    assertThat(
            MetricsText.value(
                text, "kubelet_pod_start_duration_seconds_bucket", Map.of("le", "1.0")))
        .hasValue(0);
    assertThat(
            MetricsText.value(
                text, "kubelet_pod_start_duration_seconds_bucket", Map.of("le", "2.0")))
        .hasValue(1);
    assertThat(MetricsText.value(text, "kubeboot_sync_latency_seconds_sum")).hasValue(0.7);
    assertThat(
            MetricsText.value(
                text, "kubelet_pod_worker_duration_seconds_count", Map.of("operation", "kill")))
        .hasValue(1);
  }

  @Test
  void twoRunnersCountApart() {
    RunnerMetrics other = new RunnerMetrics(status::get);
    other.mirrorApiError();
    assertThat(MetricsText.value(metrics.scrape(), "kubeboot_mirror_pod_api_errors_total"))
        .hasValue(0);
    assertThat(MetricsText.value(other.scrape(), "kubeboot_mirror_pod_api_errors_total"))
        .hasValue(1);
  }
}
