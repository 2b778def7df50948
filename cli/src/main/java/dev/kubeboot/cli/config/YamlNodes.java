package dev.kubeboot.cli.config;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/** Small facts about SnakeYAML nodes, for messages. */
final class YamlNodes {
  private YamlNodes() {}

  static int line(Node n) {
    return n == null || n.getStartMark() == null ? 0 : n.getStartMark().getLine() + 1;
  }

  static boolean isNull(Node n) {
    return Tag.NULL.equals(n.getTag());
  }

  /**
   * How a value reads in a message: {@code "abc"}, {@code a list}, {@code the quoted string "1"}.
   */
  static String describe(Node n) {
    if (n instanceof MappingNode) {
      return "a mapping";
    }
    if (n instanceof SequenceNode) {
      return "a list";
    }
    if (isNull(n)) {
      return "null";
    }
    String value = ((ScalarNode) n).getValue();
    if (value.length() > 60) {
      value = value.substring(0, 57) + "...";
    }
    String quoted = "\"" + value + "\"";
    return Tag.STR.equals(n.getTag()) && value.matches("-?\\d+|true|false")
        ? "the quoted string " + quoted
        : quoted;
  }
}
