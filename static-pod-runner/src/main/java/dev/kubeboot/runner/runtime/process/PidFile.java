package dev.kubeboot.runner.runtime.process;

import dev.kubeboot.runner.pod.PodKey;
import dev.kubeboot.runner.runtime.ContainerHandle;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * What the runtime remembers of a process it started, so a later runner can prove the process is
 * ours (pid + start time defeat pid reuse) and adopt it. It says who the process is, never how to
 * run things in it: an adopted container's exec environment is rebuilt from its pod spec.
 *
 * @param startTicks /proc/&lt;pid&gt;/stat field 22 at start
 */
record PidFile(
    long pid,
    long startTicks,
    PodKey pod,
    String podUid,
    String container,
    int attempt,
    Instant startedAt,
    String configHash,
    Path logPath) {
  PidFile {
    Objects.requireNonNull(pod, "pod");
    Objects.requireNonNull(podUid, "podUid");
    Objects.requireNonNull(container, "container");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(configHash, "configHash");
    Objects.requireNonNull(logPath, "logPath");
  }

  ContainerHandle handle() {
    return new ContainerHandle(
        Long.toString(pid), pod, podUid, container, attempt, startedAt, configHash);
  }

  String toJson() {
    return "{\"pid\":"
        + pid
        + ",\"startTicks\":"
        + startTicks
        + ",\"namespace\":"
        + quote(pod.namespace())
        + ",\"pod\":"
        + quote(pod.name())
        + ",\"podUid\":"
        + quote(podUid)
        + ",\"container\":"
        + quote(container)
        + ",\"attempt\":"
        + attempt
        + ",\"startedAt\":"
        + quote(startedAt.toString())
        + ",\"configHash\":"
        + quote(configHash)
        + ",\"logPath\":"
        + quote(logPath.toString())
        + "}\n";
  }

  /**
   * @throws IllegalArgumentException the text is not a pid file of this runtime
   */
  static PidFile parse(String json) {
    return parse(json, newParser());
  }

  /** A parser for {@link #parse(String, Yaml)}: costly to make, not thread-safe. */
  static Yaml newParser() {
    return new Yaml(new SafeConstructor(new LoaderOptions()));
  }

  /**
   * @throws IllegalArgumentException the text is not a pid file of this runtime
   */
  static PidFile parse(String json, Yaml parser) {
    Object loaded;
    try {
      loaded = parser.load(json);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
    }
    if (!(loaded instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException("not a JSON object");
    }
    try {
      return new PidFile(
          number(map, "pid"),
          number(map, "startTicks"),
          new PodKey(text(map, "namespace"), text(map, "pod")),
          text(map, "podUid"),
          text(map, "container"),
          (int) number(map, "attempt"),
          Instant.parse(text(map, "startedAt")),
          text(map, "configHash"),
          Path.of(text(map, "logPath")));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private static String text(Map<?, ?> map, String key) {
    if (!(map.get(key) instanceof String s)) {
      throw new IllegalArgumentException("field \"" + key + "\" missing or not a string");
    }
    return s;
  }

  private static long number(Map<?, ?> map, String key) {
    if (!(map.get(key) instanceof Number n)) {
      throw new IllegalArgumentException("field \"" + key + "\" missing or not a number");
    }
    return n.longValue();
  }

  private static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
