package dev.kubeboot.runner.metrics;

import dev.kubeboot.runner.pod.PodKey;
import dev.kubeboot.runner.status.ContainerState;
import dev.kubeboot.runner.status.ContainerStatus;
import dev.kubeboot.runner.status.PodStatus;
import dev.kubeboot.runner.status.RunnerStatus;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One runner's Prometheus metrics, in a registry of its own (never the library's global one, so two
 * runners in one JVM, as in tests, count apart). The kubelet's names and labels where the kubelet
 * has the metric, {@code kubeboot_*} for the runner's own; gauges that describe the pods now are
 * read from the runner's status when scraped, so they cannot drift from {@code /pods}.
 */
public final class RunnerMetrics {
  /** The Prometheus text format's media type, as {@code /metrics} answers it. */
  public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

  /** The kubelet's buckets for pod start durations (seconds). */
  private static final double[] POD_START_BUCKETS = {
    0.5, 1, 2, 3, 4, 5, 6, 8, 10, 20, 30, 45, 60, 120, 180, 240, 300, 360, 480, 600, 900, 1200,
    1800, 2700, 3600
  };

  /** The kubelet's buckets for pod worker durations: 5 ms doubling to about 10 s. */
  private static final double[] WORKER_BUCKETS = {
    0.005, 0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24
  };

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
  private final Counter startedContainers;
  private final Counter startErrors;
  private final Counter probes;
  private final Histogram podStart;
  private final Histogram podWorker;
  private final Counter restarts;
  private final Gauge backoff;
  private final Histogram syncLatency;
  private final Counter mirrorErrors;

  /**
   * @param status the runner's current status, read at every scrape for the gauges of what runs
   */
  public RunnerMetrics(Supplier<RunnerStatus> status) {
    Objects.requireNonNull(status, "status");
    GaugeWithCallback.builder()
        .name("kubelet_running_pods")
        .help("Number of pods that have a running container")
        .callback(cb -> cb.call(runningPods(status.get())))
        .register(registry);
    GaugeWithCallback.builder()
        .name("kubelet_running_containers")
        .help("Number of containers currently running or exited, by state")
        .labelNames("container_state")
        .callback(
            cb -> {
              long[] counts = containerStates(status.get());
              cb.call(counts[0], "running");
              cb.call(counts[1], "exited");
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name("kubeboot_manifest_errors")
        .help("Number of manifest files that are rejected now")
        .callback(cb -> cb.call(status.get().manifestErrors().size()))
        .register(registry);
    startedContainers =
        Counter.builder()
            .name("kubelet_started_containers_total")
            .help("Cumulative number of containers started")
            .labelNames("container_type")
            .register(registry);
    startErrors =
        Counter.builder()
            .name("kubelet_started_containers_errors_total")
            .help("Cumulative number of errors when starting containers")
            .labelNames("code", "container_type")
            .register(registry);
    probes =
        Counter.builder()
            .name("prober_probe_total")
            .help("Cumulative number of a liveness, readiness or startup probe for a container")
            .labelNames("probe_type", "result", "container", "pod", "namespace")
            .register(registry);
    podStart =
        Histogram.builder()
            .name("kubelet_pod_start_duration_seconds")
            .help(
                "Duration in seconds from the pod worker starting a pod to all its containers running")
            .classicOnly()
            .classicUpperBounds(POD_START_BUCKETS)
            .register(registry);
    podWorker =
        Histogram.builder()
            .name("kubelet_pod_worker_duration_seconds")
            .help("Duration in seconds to sync a single pod, by operation (create, update, kill)")
            .labelNames("operation")
            .classicOnly()
            .classicUpperBounds(WORKER_BUCKETS)
            .register(registry);
    restarts =
        Counter.builder()
            .name("kubeboot_container_restarts_total")
            .help("Restarts of a static pod's container (crashes, failed probes, requests)")
            .labelNames("namespace", "pod", "container")
            .register(registry);
    backoff =
        Gauge.builder()
            .name("kubeboot_crash_backoff_seconds")
            .help("The crash backoff a container waits now before its next start; 0 when running")
            .labelNames("namespace", "pod", "container")
            .register(registry);
    syncLatency =
        Histogram.builder()
            .name("kubeboot_sync_latency_seconds")
            .help(
                "Seconds from the runner seeing a manifest file added or changed to all containers"
                    + " of its pod running")
            .classicOnly()
            .classicUpperBounds(POD_START_BUCKETS)
            .register(registry);
    mirrorErrors =
        Counter.builder()
            .name("kubeboot_mirror_pod_api_errors_total")
            .help("Failed passes of mirror pod and node sync against the API server")
            .register(registry);
  }

  /** The container kinds the kubelet labels {@code container_type} with. */
  public enum ContainerType {
    CONTAINER("container"),
    INIT_CONTAINER("init_container");

    private final String label;

    ContainerType(String label) {
      this.label = label;
    }
  }

  public void containerStarted(ContainerType type) {
    startedContainers.labelValues(type.label).inc();
  }

  /**
   * @param code the reason the start failed, e.g. "ErrImagePull", "RunContainerError"
   */
  public void containerStartFailed(ContainerType type, String code) {
    startErrors.labelValues(code, type.label).inc();
  }

  /**
   * @param probeType "Liveness", "Readiness" or "Startup", as the kubelet labels them
   */
  public void probed(String probeType, boolean success, PodKey pod, String container) {
    probes
        .labelValues(
            probeType, success ? "successful" : "failed", container, pod.name(), pod.namespace())
        .inc();
  }

  public void podStarted(Duration took) {
    podStart.observe(seconds(took));
  }

  /**
   * @param operation "create", "update" or "kill"
   */
  public void podWorkerOperation(String operation, Duration took) {
    podWorker.labelValues(operation).observe(seconds(took));
  }

  public void containerRestarted(PodKey pod, String container) {
    restarts.labelValues(pod.namespace(), pod.name(), container).inc();
    backoff.labelValues(pod.namespace(), pod.name(), container).set(0);
  }

  /** The backoff now being waited out; {@link Duration#ZERO} once the container runs. */
  public void backoff(PodKey pod, String container, Duration wait) {
    backoff.labelValues(pod.namespace(), pod.name(), container).set(seconds(wait));
  }

  /** A pod is gone: its per-container series go with it. */
  public void podRemoved(PodKey pod, Iterable<String> containers) {
    for (String c : containers) {
      backoff.remove(pod.namespace(), pod.name(), c);
    }
  }

  public void synced(Duration latency) {
    syncLatency.observe(seconds(latency));
  }

  public void mirrorApiError() {
    mirrorErrors.inc();
  }

  /** Every metric in the Prometheus text format (version 0.0.4). */
  public String scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      writer.write(out, registry.scrape(), EscapingScheme.UNDERSCORE_ESCAPING);
    } catch (IOException e) {
      throw new UncheckedIOException("writing metrics to memory", e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }

  private static long runningPods(RunnerStatus status) {
    return status.pods().stream()
        .filter(
            p ->
                p.containerStatuses().stream()
                    .anyMatch(c -> c.state() instanceof ContainerState.Running))
        .count();
  }

  /** [running, exited]: an exited container is one that ran and is waiting to run again. */
  private static long[] containerStates(RunnerStatus status) {
    long running = 0;
    long exited = 0;
    for (PodStatus p : status.pods()) {
      for (ContainerStatus c : p.containerStatuses()) {
        switch (c.state()) {
          case ContainerState.Running r -> running++;
          case ContainerState.Terminated t -> exited++;
          case ContainerState.Waiting w -> {
            if (c.lastState().isPresent()) {
              exited++;
            }
          }
        }
      }
    }
    return new long[] {running, exited};
  }
}
