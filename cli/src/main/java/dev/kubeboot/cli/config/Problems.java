package dev.kubeboot.cli.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Every problem found in one config stream, kept so that all of them are reported at once, each
 * with file, line and field path, in the order of the file.
 */
final class Problems {
  private record Problem(int line, String text) {}

  private final String source;
  private final List<Problem> found = new ArrayList<>();

  Problems(String source) {
    this.source = source;
  }

  String source() {
    return source;
  }

  /** A problem with a value of the file: {@code file:line: path: message}. */
  void at(Node node, String path, String message) {
    int line = YamlNodes.line(node);
    found.add(new Problem(line, source + ":" + line + ": " + path + ": " + message));
  }

  /** A problem with a document as a whole: {@code file:line: message}. */
  void atLine(int line, String message) {
    found.add(new Problem(line, source + ":" + line + ": " + message));
  }

  boolean isEmpty() {
    return found.isEmpty();
  }

  /** Every problem, one per line, in the order of the file. */
  List<String> lines() {
    return found.stream()
        .sorted(Comparator.comparingInt(Problem::line))
        .map(Problem::text)
        .toList();
  }

  /**
   * @throws ConfigException listing every problem, one per line, when there is any
   */
  void throwIfAny() {
    if (!found.isEmpty()) {
      throw new ConfigException(String.join("\n", lines()));
    }
  }
}
