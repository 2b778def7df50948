package dev.kubeboot.cli.config;

import dev.kubeboot.cli.config.KubeadmSchema.FreeMap;
import dev.kubeboot.cli.config.KubeadmSchema.ListOf;
import dev.kubeboot.cli.config.KubeadmSchema.Scalar;
import dev.kubeboot.cli.config.KubeadmSchema.Shape;
import dev.kubeboot.cli.config.KubeadmSchema.Struct;
import dev.kubeboot.cli.config.KubeadmSchema.Version;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Finds every unknown and every repeated field of a kubeadm document, against the schema of the
 * document's API version. kubeadm only warns on unknown fields; kubeboot refuses them (a typo in a
 * security setting must not pass silently), and names them all at once.
 */
final class SchemaCheck {
  private static final Map<String, String> MOVED =
      Map.of(
          "ClusterConfiguration.apiServer.timeoutForControlPlane",
          "in "
              + Version.V1BETA4.apiVersion
              + " it is InitConfiguration.timeouts.controlPlaneComponentHealthCheck");

  private final Problems problems;
  private final Version version;

  SchemaCheck(Problems problems, Version version) {
    this.problems = problems;
    this.version = version;
  }

  /**
   * Checks a document.
   *
   * @param other the same type in the other API version, for hints about moved fields
   */
  void check(Node document, String path, Struct schema, Struct other) {
    walk(document, path, schema, other);
  }

  private void walk(Node node, String path, Shape shape, Shape other) {
    if (YamlNodes.isNull(node)) {
      return;
    }
    switch (shape) {
      case Struct struct -> {
        if (node instanceof MappingNode map) {
          fields(map, path, struct, other instanceof Struct o ? o : null);
        }
      }
      case ListOf list -> {
        if (node instanceof SequenceNode seq) {
          List<Node> items = seq.getValue();
          Shape otherItem = other instanceof ListOf o ? o.item() : null;
          for (int i = 0; i < items.size(); i++) {
            walk(items.get(i), path + "[" + i + "]", list.item(), otherItem);
          }
        }
      }
      case FreeMap free -> {
        if (node instanceof MappingNode map) {
          repeats(map, path);
        }
      }
      case Scalar scalar -> {}
    }
  }

  private void fields(MappingNode map, String path, Struct struct, Struct other) {
    Map<String, Node> seen = new HashMap<>();
    for (NodeTuple tuple : map.getValue()) {
      if (!(tuple.getKeyNode() instanceof ScalarNode key) || YamlNodes.isNull(tuple.getKeyNode())) {
        problems.at(
            tuple.getKeyNode(),
            path,
            "expected a field name, got " + YamlNodes.describe(tuple.getKeyNode()));
        continue;
      }
      String name = key.getValue();
      String fieldPath = path + "." + name;
      Node first = seen.putIfAbsent(name, key);
      if (first != null) {
        problems.at(
            key, fieldPath, "field given twice (first at line " + YamlNodes.line(first) + ")");
        continue;
      }
      Shape field = struct.fields().get(name);
      if (field == null) {
        problems.at(key, fieldPath, unknown(path, name, struct, other));
        continue;
      }
      walk(tuple.getValueNode(), fieldPath, field, other == null ? null : other.fields().get(name));
    }
  }

  private void repeats(MappingNode map, String path) {
    Map<String, Node> seen = new HashMap<>();
    for (NodeTuple tuple : map.getValue()) {
      if (tuple.getKeyNode() instanceof ScalarNode key) {
        Node first = seen.putIfAbsent(key.getValue(), key);
        if (first != null) {
          problems.at(
              key,
              path + "." + key.getValue(),
              "given twice (first at line " + YamlNodes.line(first) + ")");
        }
      }
    }
  }

  private String unknown(String path, String name, Struct struct, Struct other) {
    StringBuilder message = new StringBuilder("unknown field \"").append(name).append('"');
    String best = closest(name, struct);
    if (best != null) {
      message.append(" (did you mean \"").append(best).append("\"?)");
    }
    String moved = MOVED.get(path + "." + name);
    if (moved != null && version == Version.V1BETA4) {
      message
          .append("; it is a ")
          .append(Version.V1BETA3.apiVersion)
          .append(" field; ")
          .append(moved);
    } else if (other != null && other.fields().containsKey(name)) {
      message
          .append("; it exists only in ")
          .append(version.other().apiVersion)
          .append("; change apiVersion to use it");
    }
    message
        .append(". Known fields here: ")
        .append(String.join(", ", struct.fields().keySet().stream().sorted().toList()));
    return message.toString();
  }

  private static String closest(String name, Struct struct) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : struct.fields().keySet()) {
      int d = distance(name.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        bestDistance = d;
        best = candidate;
      }
    }
    return bestDistance <= 2 ? best : null;
  }

  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] =
            Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
