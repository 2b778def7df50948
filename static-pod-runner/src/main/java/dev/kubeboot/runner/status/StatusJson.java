package dev.kubeboot.runner.status;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a {@link RunnerStatus} as JSON with the Kubernetes API's field names ({@code
 * containerStatuses}, {@code restartCount}, {@code lastTransitionTime}, ...) and RFC 3339 times in
 * whole seconds, as the API serializes {@code metav1.Time}.
 */
public final class StatusJson {
  private static final JSON WRITER = JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT);

  private StatusJson() {}

  public static String write(RunnerStatus status) {
    try {
      return WRITER.asString(toMap(status)) + "\n";
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serialize the runner status", e);
    }
  }

  static String time(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
  }

  private static Map<String, Object> toMap(RunnerStatus status) {
    Map<String, Object> runner = new LinkedHashMap<>();
    runner.put("pid", status.pid());
    runner.put("startTime", time(status.startTime()));
    runner.put("runtime", status.runtime());
    runner.put("runtimeEndpoint", status.runtimeEndpoint());
    runner.put("manifestPath", status.manifestPath());
    runner.put("nodeName", status.nodeName());
    runner.put("mirror", status.mirror());
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("kind", "RunnerStatus");
    root.put("runner", runner);
    root.put(
        "manifestErrors",
        status.manifestErrors().stream()
            .map(e -> ordered("file", e.file(), "message", e.message()))
            .toList());
    root.put("pods", status.pods().stream().map(StatusJson::pod).toList());
    return root;
  }

  private static Map<String, Object> pod(PodStatus pod) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", pod.key().name());
    metadata.put("namespace", pod.key().namespace());
    metadata.put("uid", pod.uid());
    metadata.put(
        "annotations",
        ordered("kubernetes.io/config.source", "file", "kubeboot.dev/source", pod.source()));
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("phase", pod.phase().apiName());
    status.put(
        "conditions",
        pod.conditions().stream()
            .map(
                c ->
                    ordered(
                        "type", c.type(),
                        "status", c.status() ? "True" : "False",
                        "lastTransitionTime", time(c.lastTransitionTime())))
            .toList());
    status.put("hostIP", pod.hostIP());
    if (!pod.podIP().isEmpty()) {
      status.put("podIP", pod.podIP());
      status.put("podIPs", pod.podIPs().stream().map(ip -> Map.of("ip", ip)).toList());
    }
    pod.startTime().ifPresent(t -> status.put("startTime", time(t)));
    if (!pod.initContainerStatuses().isEmpty()) {
      status.put(
          "initContainerStatuses",
          pod.initContainerStatuses().stream().map(StatusJson::container).toList());
    }
    status.put(
        "containerStatuses", pod.containerStatuses().stream().map(StatusJson::container).toList());
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("metadata", metadata);
    root.put("status", status);
    return root;
  }

  private static Map<String, Object> container(ContainerStatus c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", c.name());
    m.put("state", state(c.state()));
    m.put("lastState", c.lastState().map(StatusJson::state).orElse(Map.of()));
    m.put("ready", c.ready());
    m.put("started", c.started());
    m.put("restartCount", c.restartCount());
    m.put("image", c.image());
    if (!c.containerID().isEmpty()) {
      m.put("containerID", c.containerID());
    }
    return m;
  }

  private static Map<String, Object> state(ContainerState state) {
    return switch (state) {
      case ContainerState.Waiting w ->
          Map.of(
              "waiting",
              w.message().isEmpty()
                  ? ordered("reason", w.reason())
                  : ordered("reason", w.reason(), "message", w.message()));
      case ContainerState.Running r -> Map.of("running", ordered("startedAt", time(r.startedAt())));
      case ContainerState.Terminated t ->
          Map.of(
              "terminated",
              ordered(
                  "exitCode", t.exitCode(),
                  "reason", t.reason(),
                  "startedAt", time(t.startedAt()),
                  "finishedAt", time(t.finishedAt())));
    };
  }

  private static Map<String, Object> ordered(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }
}
