package dev.kubeboot.runner.status;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.kubeboot.runner.pod.PodKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON of {@code GET /probes}: {@code {"kind": "ProbeResults", "probes": [...]}}, one entry per
 * {@link ProbeRecord}, times in RFC 3339 with milliseconds (a result's age matters to the second).
 */
public final class ProbeResultsJson {
  private static final JSON WRITER = JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT);
  static final String KIND = "ProbeResults";

  private ProbeResultsJson() {}

  public static String write(List<ProbeRecord> records) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("kind", KIND);
    root.put("probes", records.stream().map(ProbeResultsJson::entry).toList());
    try {
      return WRITER.asString(root) + "\n";
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serialize the probe results", e);
    }
  }

  private static Map<String, Object> entry(ProbeRecord r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("namespace", r.pod().namespace());
    m.put("pod", r.pod().name());
    m.put("podUID", r.podUid());
    m.put("container", r.container());
    m.put("containerID", r.containerId());
    m.put("probe", r.probe());
    m.put("success", r.success());
    m.put("message", r.message());
    m.put("time", DateTimeFormatter.ISO_INSTANT.format(r.time().truncatedTo(ChronoUnit.MILLIS)));
    m.put("latencyMillis", r.latency().toMillis());
    m.put("periodMillis", r.period().toMillis());
    m.put("timeoutMillis", r.timeout().toMillis());
    return m;
  }

  /**
   * @throws StatusFormatException {@code json} is not a probe results document
   */
  public static List<ProbeRecord> parse(String json) {
    Map<String, Object> root;
    try {
      root = JSON.std.mapFrom(json);
    } catch (IOException e) {
      throw new StatusFormatException("not valid JSON (" + e.getMessage() + ")", e);
    }
    if (!KIND.equals(root.get("kind"))) {
      throw new StatusFormatException("field kind is " + root.get("kind") + ", expected " + KIND);
    }
    if (!(root.get("probes") instanceof List<?> probes)) {
      throw new StatusFormatException("field probes is missing or not a list");
    }
    return probes.stream().map(ProbeResultsJson::record).toList();
  }

  private static ProbeRecord record(Object entry) {
    if (!(entry instanceof Map<?, ?> m)) {
      throw new StatusFormatException("probes[] entry " + entry + " is not an object");
    }
    return new ProbeRecord(
        new PodKey(string(m, "namespace"), string(m, "pod")),
        string(m, "podUID"),
        string(m, "container"),
        string(m, "containerID"),
        string(m, "probe"),
        Boolean.parseBoolean(string(m, "success")),
        string(m, "message"),
        instant(m, "time"),
        Duration.ofMillis(number(m, "latencyMillis")),
        Duration.ofMillis(number(m, "periodMillis")),
        Duration.ofMillis(number(m, "timeoutMillis")));
  }

  private static String string(Map<?, ?> m, String field) {
    Object value = m.get(field);
    if (value == null) {
      throw new StatusFormatException("field " + field + " is missing in probes[] " + m.keySet());
    }
    return String.valueOf(value);
  }

  private static long number(Map<?, ?> m, String field) {
    if (m.get(field) instanceof Number n) {
      return n.longValue();
    }
    throw new StatusFormatException("field " + field + " is " + m.get(field) + ", not a number");
  }

  private static Instant instant(Map<?, ?> m, String field) {
    String value = string(m, field);
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new StatusFormatException(
          "field " + field + " is " + value + ", not an RFC 3339 time", e);
    }
  }
}
