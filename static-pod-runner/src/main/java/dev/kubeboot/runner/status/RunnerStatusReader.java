package dev.kubeboot.runner.status;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.kubeboot.runner.pod.PodKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the JSON of {@link StatusJson} back: what {@code kubeboot status} does with the state file
 * (no HTTP needed) or with the body of {@code GET /pods}.
 */
public final class RunnerStatusReader {
  private RunnerStatusReader() {}

  /**
   * @throws NoSuchFileException no runner has written {@code file} yet
   * @throws StatusFormatException the file is not a runner status
   */
  public static RunnerStatus read(Path file) throws IOException {
    String json = Files.readString(file);
    try {
      return parse(json);
    } catch (StatusFormatException e) {
      throw new StatusFormatException(file + ": " + e.getMessage(), e);
    }
  }

  public static RunnerStatus parse(String json) {
    Map<String, Object> root;
    try {
      root = JSON.std.mapFrom(json);
    } catch (IOException e) {
      throw new StatusFormatException(
          "not valid JSON (" + e.getMessage() + "); is this a kubeboot runner status file?", e);
    }
    if (!"RunnerStatus".equals(root.get("kind"))) {
      throw new StatusFormatException(
          "field kind is " + root.get("kind") + ", expected RunnerStatus");
    }
    Map<String, Object> runner = map(root, "runner");
    return new RunnerStatus(
        ((Number) require(runner, "pid")).longValue(),
        instant(runner, "startTime"),
        string(runner, "runtime"),
        String.valueOf(runner.getOrDefault("runtimeEndpoint", "")),
        string(runner, "manifestPath"),
        string(runner, "nodeName"),
        string(runner, "mirror"),
        list(root, "pods").stream().map(p -> pod(cast(p, "pods[]"))).toList(),
        list(root, "manifestErrors").stream()
            .map(e -> cast(e, "manifestErrors[]"))
            .map(e -> new FileError(string(e, "file"), string(e, "message")))
            .toList());
  }

  private static PodStatus pod(Map<String, Object> pod) {
    Map<String, Object> metadata = map(pod, "metadata");
    Map<String, Object> status = map(pod, "status");
    Map<String, Object> annotations = map(metadata, "annotations");
    String podIP = String.valueOf(status.getOrDefault("podIP", ""));
    List<String> podIPs =
        optionalList(status, "podIPs").stream()
            .map(ip -> String.valueOf(cast(ip, "podIPs[]").get("ip")))
            .toList();
    return new PodStatus(
        new PodKey(string(metadata, "namespace"), string(metadata, "name")),
        string(metadata, "uid"),
        String.valueOf(annotations.getOrDefault("kubeboot.dev/source", "")),
        PodPhase.fromApiName(string(status, "phase")),
        list(status, "conditions").stream()
            .map(c -> cast(c, "conditions[]"))
            .map(
                c ->
                    new PodCondition(
                        string(c, "type"),
                        "True".equals(c.get("status")),
                        instant(c, "lastTransitionTime")))
            .toList(),
        optionalList(status, "initContainerStatuses").stream()
            .map(c -> container(cast(c, "initContainerStatuses[]")))
            .toList(),
        optionalList(status, "containerStatuses").stream()
            .map(c -> container(cast(c, "containerStatuses[]")))
            .toList(),
        status.containsKey("startTime")
            ? Optional.of(instant(status, "startTime"))
            : Optional.empty(),
        String.valueOf(status.getOrDefault("hostIP", "")),
        podIP,
        podIPs.isEmpty() && !podIP.isEmpty() ? List.of(podIP) : podIPs);
  }

  private static ContainerStatus container(Map<String, Object> c) {
    Map<String, Object> last = map(c, "lastState");
    return new ContainerStatus(
        string(c, "name"),
        state(map(c, "state")),
        last.isEmpty() || !last.containsKey("terminated")
            ? Optional.empty()
            : Optional.of((ContainerState.Terminated) state(last)),
        Boolean.TRUE.equals(c.get("ready")),
        Boolean.TRUE.equals(c.get("started")),
        ((Number) require(c, "restartCount")).intValue(),
        string(c, "image"),
        String.valueOf(c.getOrDefault("containerID", "")));
  }

  private static ContainerState state(Map<String, Object> state) {
    if (state.get("waiting") instanceof Map<?, ?>) {
      Map<String, Object> w = map(state, "waiting");
      return new ContainerState.Waiting(
          string(w, "reason"), String.valueOf(w.getOrDefault("message", "")));
    }
    if (state.get("running") instanceof Map<?, ?>) {
      return new ContainerState.Running(instant(map(state, "running"), "startedAt"));
    }
    if (state.get("terminated") instanceof Map<?, ?>) {
      Map<String, Object> t = map(state, "terminated");
      return new ContainerState.Terminated(
          ((Number) require(t, "exitCode")).intValue(),
          string(t, "reason"),
          instant(t, "startedAt"),
          instant(t, "finishedAt"));
    }
    throw new StatusFormatException(
        "container state " + state + " has none of waiting, running, terminated");
  }

  private static Object require(Map<String, Object> m, String field) {
    Object value = m.get(field);
    if (value == null) {
      throw new StatusFormatException("field " + field + " is missing in " + m.keySet());
    }
    return value;
  }

  private static String string(Map<String, Object> m, String field) {
    return String.valueOf(require(m, field));
  }

  private static Instant instant(Map<String, Object> m, String field) {
    String value = string(m, field);
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new StatusFormatException(
          "field " + field + " is " + value + ", not an RFC 3339 time", e);
    }
  }

  private static Map<String, Object> map(Map<String, Object> m, String field) {
    return cast(require(m, field), field);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Object value, String field) {
    if (value instanceof Map<?, ?> map) {
      return (Map<String, Object>) map;
    }
    throw new StatusFormatException("field " + field + " is " + value + ", expected an object");
  }

  private static List<?> list(Map<String, Object> m, String field) {
    if (require(m, field) instanceof List<?> l) {
      return l;
    }
    throw new StatusFormatException("field " + field + " is not a list");
  }

  private static List<?> optionalList(Map<String, Object> m, String field) {
    return m.containsKey(field) ? list(m, field) : List.of();
  }
}
