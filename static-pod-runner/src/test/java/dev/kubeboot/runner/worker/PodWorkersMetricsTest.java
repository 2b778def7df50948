package dev.kubeboot.runner.worker;

import static dev.kubeboot.runner.Eventually.eventually;
import static dev.kubeboot.runner.TestPods.container;
import static dev.kubeboot.runner.TestPods.pod;
import static dev.kubeboot.runner.TestPods.probe;
import static dev.kubeboot.runner.TestPods.withProbes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeboot.runner.FakeContainerRuntime;
import dev.kubeboot.runner.FakeProber;
import dev.kubeboot.runner.FakeTime;
import dev.kubeboot.runner.manifest.ManifestSnapshot;
import dev.kubeboot.runner.metrics.MetricsText;
import dev.kubeboot.runner.metrics.RunnerMetrics;
import dev.kubeboot.runner.pod.PodKey;
import dev.kubeboot.runner.pod.StaticPod;
import dev.kubeboot.runner.status.ContainerState;
import dev.kubeboot.runner.status.RunnerStatus;
import dev.kubeboot.runner.status.StatusStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the pod workers count: starts, restarts, backoff, probes and pod timings, on fake time. */
@Timeout(60)
class PodWorkersMetricsTest {
  private static final Map<String, String> APP =
      Map.of("namespace", "kube-system", "pod", "web-node1", "container", "app");

  private final FakeTime time = new FakeTime();
  private final FakeContainerRuntime runtime = new FakeContainerRuntime(time);
  private final FakeProber prober = new FakeProber();
  private final StatusStore store =
      new StatusStore(
          new RunnerStatus(
              1, time.instant(), "fake", "", "/m", "node1", "off", List.of(), List.of()));
  private final RunnerMetrics metrics = new RunnerMetrics(store::current);
  private final PodWorkers workers =
      new PodWorkers(runtime, prober, store, time, time, "10.0.0.5", metrics);

  @AfterEach
  void stop() throws InterruptedException {
    workers.stopAll();
  }

  private void apply(StaticPod pod) {
    workers.accept(new ManifestSnapshot(Map.of(pod.key(), pod), List.of()));
  }

  private double value(String name, Map<String, String> labels) {
    return MetricsText.value(metrics.scrape(), name, labels).orElse(Double.NaN);
  }

  private void awaitRunning(int restartCount) {
    eventually(
        () -> {
          var c =
              store
                  .current()
                  .pod(new PodKey("kube-system", "web-node1"))
                  .orElseThrow()
                  .container("app")
                  .orElseThrow();
          assertThat(c.state()).isInstanceOf(ContainerState.Running.class);
          assertThat(c.restartCount()).isEqualTo(restartCount);
        });
  }

  @Test
  void crashesAreCountedAsRestartsAndTheBackoffShowsWhileItIsWaitedOut() {
    apply(pod("web", "uid1", container("app")));
    awaitRunning(0);
    assertThat(value("kubelet_running_pods", Map.of())).isEqualTo(1);
    assertThat(value("kubelet_started_containers_total", Map.of("container_type", "container")))
        .isEqualTo(1);
    eventually(
        () -> assertThat(value("kubelet_pod_start_duration_seconds_count", Map.of())).isEqualTo(1));
    assertThat(value("kubeboot_sync_latency_seconds_count", Map.of())).isEqualTo(1);

    // The first crash restarts at once, the second waits 10 s.
    runtime.exit("app", 1);
    awaitRunning(1);
    assertThat(value("kubeboot_container_restarts_total", APP)).isEqualTo(1);
    runtime.exit("app", 1);
    eventually(() -> assertThat(value("kubeboot_crash_backoff_seconds", APP)).isEqualTo(10));
    eventually(
        () -> {
          assertThat(value("kubelet_running_pods", Map.of())).isEqualTo(0);
          assertThat(value("kubelet_running_containers", Map.of("container_state", "exited")))
              .isEqualTo(1);
        });

    eventually(() -> assertThat(time.sleepers()).isEqualTo(1));
    time.advanceSeconds(10);
    awaitRunning(2);
    assertThat(value("kubeboot_container_restarts_total", APP)).isEqualTo(2);
    assertThat(value("kubeboot_crash_backoff_seconds", APP)).isZero();
    assertThat(value("kubelet_started_containers_total", Map.of("container_type", "container")))
        .isEqualTo(3);
  }

  @Test
  void failedStartsAreCountedByTheirReason() {
    runtime.failStarts("app", 1, "ErrImagePull", "no such image");
    apply(pod("web", "uid1", container("app")));
    eventually(
        () ->
            assertThat(
                    value(
                        "kubelet_started_containers_errors_total",
                        Map.of("code", "ErrImagePull", "container_type", "container")))
                .isEqualTo(1));
  }

  @Test
  void probesAreCountedByTypeAndResult() {
    prober.set("app", "live", false);
    apply(
        pod(
            "web",
            "uid1",
            withProbes(
                container("app"),
                Optional.of(probe("live", 10, 3)),
                Optional.empty(),
                Optional.empty())));
    awaitRunning(0);
    eventually(() -> assertThat(prober.calls("app", "live")).isEqualTo(1));
    Map<String, String> failed =
        Map.of(
            "probe_type", "Liveness",
            "result", "failed",
            "container", "app",
            "pod", "web-node1",
            "namespace", "kube-system");
    eventually(() -> assertThat(value("prober_probe_total", failed)).isEqualTo(1));
  }

  @Test
  void stoppingAPodIsTimedAsAKill() throws InterruptedException {
    apply(pod("web", "uid1", container("app")));
    awaitRunning(0);
    workers.accept(new ManifestSnapshot(Map.of(), List.of()));
    eventually(
        () ->
            assertThat(
                    value("kubelet_pod_worker_duration_seconds_count", Map.of("operation", "kill")))
                .isEqualTo(1));
    assertThat(value("kubeboot_crash_backoff_seconds", APP)).isNaN();
  }
}
