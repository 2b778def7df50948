package dev.kubeboot.cli.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * One YAML mapping of a config document with its field path and the set of keys the schema allows.
 * Every accessor checks the YAML type and fails with file:line, field path, the value and what was
 * expected.
 */
final class YamlMapping {
  private final String source;
  private final String path;
  private final Node node;
  private final Map<String, Node> values = new LinkedHashMap<>();
  private final Map<String, Node> keys = new LinkedHashMap<>();

  private YamlMapping(String source, String path, Node node) {
    this.source = source;
    this.path = path;
    this.node = node;
  }

  /**
   * Wraps a mapping node, rejecting duplicate keys and any key outside {@code allowed}. {@code
   * hint} may add a sentence to the unknown-field error (for fields of the other API version).
   */
  static YamlMapping of(
      String source,
      String path,
      Node node,
      Set<String> allowed,
      BiFunction<String, String, String> hint) {
    YamlMapping mapping = new YamlMapping(source, path, node);
    if (!(node instanceof MappingNode map)) {
      throw mapping.error(node, path, "expected a mapping of fields, got " + describe(node));
    }
    for (NodeTuple tuple : map.getValue()) {
      Node keyNode = tuple.getKeyNode();
      if (!(keyNode instanceof ScalarNode key) || isNull(keyNode)) {
        throw mapping.error(keyNode, path, "expected a field name, got " + describe(keyNode));
      }
      String name = key.getValue();
      String fieldPath = path + "." + name;
      if (mapping.values.containsKey(name)) {
        throw mapping.error(
            keyNode,
            fieldPath,
            "field given twice (first at line " + line(mapping.values.get(name)) + ")");
      }
      if (!allowed.contains(name)) {
        String extra = hint.apply(path, name);
        throw mapping.error(
            keyNode,
            fieldPath,
            "unknown field \""
                + name
                + "\""
                + suggestion(name, allowed)
                + (extra == null ? "" : "; " + extra)
                + ". Known fields here: "
                + String.join(", ", allowed.stream().sorted().toList()));
      }
      mapping.values.put(name, tuple.getValueNode());
      mapping.keys.put(name, keyNode);
    }
    return mapping;
  }

  String path() {
    return path;
  }

  String source() {
    return source;
  }

  Node node() {
    return node;
  }

  /** The key node of a present field, for errors about the field as a whole. */
  Node keyNode(String key) {
    return keys.getOrDefault(key, node);
  }

  String pathOf(String key) {
    return path + "." + key;
  }

  /** The value node of a key, empty when absent or null (Go's zero value). */
  Optional<Node> get(String key) {
    Node value = values.get(key);
    return value == null || isNull(value) ? Optional.empty() : Optional.of(value);
  }

  /** True when the key is present with a non-null, non-empty value. */
  boolean isSet(String key) {
    return get(key)
        .filter(
            n ->
                !(n instanceof MappingNode m && m.getValue().isEmpty())
                    && !(n instanceof SequenceNode s && s.getValue().isEmpty()))
        .isPresent();
  }

  boolean present(String key) {
    return values.containsKey(key);
  }

  Optional<String> string(String key) {
    return get(key).map(n -> scalarText(n, pathOf(key), "a string"));
  }

  String requiredString(String key) {
    return string(key)
        .filter(s -> !s.isEmpty())
        .orElseThrow(() -> error(node, pathOf(key), "required field is missing or empty"));
  }

  Optional<Integer> integer(String key) {
    return get(key)
        .map(
            n -> {
              String text = scalarText(n, pathOf(key), "an integer");
              if (!Tag.INT.equals(n.getTag())) {
                throw error(n, pathOf(key), "expected an integer, got " + describe(n));
              }
              try {
                return Integer.parseInt(text.replace("_", ""));
              } catch (NumberFormatException e) {
                throw error(n, pathOf(key), "expected a 32-bit integer, got " + describe(n));
              }
            });
  }

  Optional<Boolean> bool(String key) {
    return get(key)
        .map(
            n -> {
              String text = scalarText(n, pathOf(key), "true or false");
              if (!Tag.BOOL.equals(n.getTag())) {
                throw error(n, pathOf(key), "expected true or false, got " + describe(n));
              }
              return switch (text.toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on" -> true;
                default -> false;
              };
            });
  }

  Optional<Duration> duration(String key) {
    return get(key)
        .map(
            n -> {
              String text = scalarText(n, pathOf(key), "a duration");
              return GoDuration.parse(text)
                  .orElseThrow(
                      () ->
                          error(
                              n,
                              pathOf(key),
                              "expected a duration such as 4m0s, 1h30m, 8760h or 500ms (units"
                                  + " h, m, s, ms, us, ns), got "
                                  + describe(n)));
            });
  }

  List<String> stringList(String key) {
    return get(key).map(n -> stringList(n, pathOf(key))).orElse(List.of());
  }

  List<String> stringList(Node n, String listPath) {
    List<String> out = new ArrayList<>();
    List<Node> items = sequence(n, listPath, "a list of strings");
    for (int i = 0; i < items.size(); i++) {
      Node item = items.get(i);
      if (isNull(item)) {
        throw error(item, listPath + "[" + i + "]", "expected a string, got null");
      }
      out.add(scalarText(item, listPath + "[" + i + "]", "a string"));
    }
    return out;
  }

  /** The items of a list value, each with its path. Absent or null gives an empty list. */
  List<Node> list(String key, String expected) {
    return get(key).map(n -> sequence(n, pathOf(key), expected)).orElse(List.of());
  }

  Optional<YamlMapping> mapping(
      String key, Set<String> allowed, BiFunction<String, String, String> hint) {
    return get(key).map(n -> of(source, pathOf(key), n, allowed, hint));
  }

  /** A mapping of free-form keys (v1beta3 extraArgs, featureGates): key -> value node. */
  Map<String, Node> freeMapping(String key, String expected) {
    Map<String, Node> out = new LinkedHashMap<>();
    Optional<Node> value = get(key);
    if (value.isEmpty()) {
      return out;
    }
    if (!(value.get() instanceof MappingNode map)) {
      throw error(
          value.get(), pathOf(key), "expected " + expected + ", got " + describe(value.get()));
    }
    for (NodeTuple tuple : map.getValue()) {
      Node keyNode = tuple.getKeyNode();
      if (!(keyNode instanceof ScalarNode k) || isNull(keyNode)) {
        throw error(keyNode, pathOf(key), "expected a name, got " + describe(keyNode));
      }
      if (out.containsKey(k.getValue())) {
        throw error(keyNode, pathOf(key) + "." + k.getValue(), "given twice");
      }
      out.put(k.getValue(), tuple.getValueNode());
    }
    return out;
  }

  List<Node> sequence(Node n, String listPath, String expected) {
    if (!(n instanceof SequenceNode seq)) {
      throw error(n, listPath, "expected " + expected + ", got " + describe(n));
    }
    return seq.getValue();
  }

  String scalarText(Node n, String fieldPath, String expected) {
    if (!(n instanceof ScalarNode scalar)) {
      throw error(n, fieldPath, "expected " + expected + ", got " + describe(n));
    }
    return scalar.getValue();
  }

  ConfigException error(Node at, String fieldPath, String problem) {
    return new ConfigException(source + ":" + line(at) + ": " + fieldPath + ": " + problem);
  }

  static int line(Node n) {
    return n.getStartMark() == null ? 0 : n.getStartMark().getLine() + 1;
  }

  static boolean isNull(Node n) {
    return Tag.NULL.equals(n.getTag());
  }

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
    return Tag.STR.equals(n.getTag()) && looksTyped(value) ? "the quoted string " + quoted : quoted;
  }

  private static boolean looksTyped(String value) {
    return value.matches("-?\\d+|true|false");
  }

  private static String suggestion(String name, Set<String> allowed) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : allowed) {
      int d = distance(name.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        bestDistance = d;
        best = candidate;
      }
    }
    return best != null && bestDistance <= 2 ? " (did you mean \"" + best + "\"?)" : "";
  }

  private static int distance(String a, String b) {
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
