package dev.kubeboot.runner.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads samples back from the Prometheus text format, for asserts. */
public final class MetricsText {
  private static final Pattern SAMPLE =
      Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{.*})? (\\S+)");
  private static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  /** One sample line: its name, labels and value. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  private MetricsText() {}

  public static List<Sample> parse(String text) {
    List<Sample> samples = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher m = SAMPLE.matcher(line);
      if (!m.matches()) {
        throw new AssertionError("not a sample line: " + line);
      }
      Map<String, String> labels = new TreeMap<>();
      if (m.group(2) != null) {
        Matcher l = LABEL.matcher(m.group(2));
        while (l.find()) {
          labels.put(l.group(1), l.group(2));
        }
      }
      samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(3))));
    }
    return samples;
  }

  /** The value of the sample with exactly these labels; empty when there is none. */
  public static OptionalDouble value(String text, String name, Map<String, String> labels) {
    return parse(text).stream()
        .filter(s -> s.name().equals(name) && s.labels().equals(new TreeMap<>(labels)))
        .mapToDouble(Sample::value)
        .findFirst();
  }

  public static OptionalDouble value(String text, String name) {
    return value(text, name, Map.of());
  }
}
