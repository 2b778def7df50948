package dev.kubeboot.cli.config;

import dev.kubeboot.runner.manifest.GoDuration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * One YAML mapping of a config document with its field path. Every accessor checks the YAML type; a
 * wrong value is recorded in {@link Problems} with file, line and field path, and read as absent,
 * so that reading goes on and every problem of the file is reported at once. Each value read is
 * recorded in the origins ({@code file:line} by field path) for later messages. Unknown and
 * repeated fields were reported by {@link SchemaCheck} before.
 */
final class YamlMapping {
  private final Problems problems;
  private final Map<String, String> origins;
  private final String path;
  private final Node node;
  private final Map<String, Node> values = new LinkedHashMap<>();
  private final Map<String, Node> keys = new LinkedHashMap<>();

  private YamlMapping(Problems problems, Map<String, String> origins, String path, Node node) {
    this.problems = problems;
    this.origins = origins;
    this.path = path;
    this.node = node;
  }

  /** Wraps a mapping node; anything else is a problem and gives empty. */
  static Optional<YamlMapping> of(
      Problems problems, Map<String, String> origins, String path, Node node) {
    if (!(node instanceof MappingNode map)) {
      problems.at(node, path, "expected a mapping of fields, got " + YamlNodes.describe(node));
      return Optional.empty();
    }
    YamlMapping mapping = new YamlMapping(problems, origins, path, node);
    for (NodeTuple tuple : map.getValue()) {
      if (tuple.getKeyNode() instanceof ScalarNode key) {
        mapping.values.put(key.getValue(), tuple.getValueNode());
        mapping.keys.put(key.getValue(), key);
      }
    }
    return Optional.of(mapping);
  }

  String path() {
    return path;
  }

  Node node() {
    return node;
  }

  /** The key node of a present field, for problems with the field as a whole. */
  Node keyNode(String key) {
    return keys.getOrDefault(key, node);
  }

  String pathOf(String key) {
    return path + "." + key;
  }

  /** The value node of a key, empty when absent or null (Go's zero value). */
  Optional<Node> get(String key) {
    Node value = values.get(key);
    return value == null || YamlNodes.isNull(value) ? Optional.empty() : Optional.of(value);
  }

  /** True when the key is present with a non-null, non-empty value. */
  boolean isSet(String key) {
    return get(key)
        .filter(
            n ->
                !(n instanceof MappingNode m && m.getValue().isEmpty())
                    && !(n instanceof SequenceNode s && s.getValue().isEmpty())
                    && !(n instanceof ScalarNode sc && sc.getValue().isEmpty()))
        .isPresent();
  }

  boolean present(String key) {
    return values.containsKey(key);
  }

  Optional<String> string(String key) {
    return get(key).flatMap(n -> scalarText(n, pathOf(key), "a string")).map(t -> remember(key, t));
  }

  /** A non-empty string; Go's zero value "" counts as unset. */
  Optional<String> text(String key) {
    return string(key).filter(s -> !s.isEmpty());
  }

  /** A required string: a problem (and empty) when missing. */
  Optional<String> requiredString(String key) {
    Optional<String> value = text(key);
    if (value.isEmpty() && !get(key).filter(n -> !(n instanceof ScalarNode)).isPresent()) {
      problems.at(node, pathOf(key), "required field is missing or empty");
    }
    return value;
  }

  /**
   * A string read into a typed value at the edge; a text the parser refuses is a problem naming
   * what was expected.
   */
  <T> Optional<T> parsed(String key, Function<String, Optional<T>> parser, String expected) {
    return text(key)
        .flatMap(
            text -> {
              Optional<T> value = parser.apply(text);
              if (value.isEmpty()) {
                problems.at(
                    get(key).orElseThrow(),
                    pathOf(key),
                    "expected " + expected + ", got \"" + text + "\"");
              }
              return value;
            });
  }

  /** A string that must be one of a closed set. */
  Optional<String> oneOf(String key, List<String> allowed) {
    return text(key)
        .filter(
            value -> {
              if (allowed.contains(value)) {
                return true;
              }
              problems.at(
                  get(key).orElseThrow(),
                  pathOf(key),
                  "expected one of " + String.join(", ", allowed) + ", got \"" + value + "\"");
              return false;
            });
  }

  Optional<Integer> integer(String key) {
    return get(key)
        .flatMap(
            n -> {
              Optional<String> text = scalarText(n, pathOf(key), "an integer");
              if (text.isEmpty()) {
                return Optional.empty();
              }
              if (!Tag.INT.equals(n.getTag())) {
                problems.at(n, pathOf(key), "expected an integer, got " + YamlNodes.describe(n));
                return Optional.empty();
              }
              try {
                return Optional.of(Integer.parseInt(remember(key, text.get()).replace("_", "")));
              } catch (NumberFormatException e) {
                problems.at(
                    n, pathOf(key), "expected a 32-bit integer, got " + YamlNodes.describe(n));
                return Optional.empty();
              }
            });
  }

  Optional<Boolean> bool(String key) {
    return get(key).flatMap(n -> bool(n, pathOf(key))).map(b -> remember(key, b));
  }

  /** A YAML boolean ({@code true}, {@code false}, and YAML 1.1's yes/no/on/off). */
  Optional<Boolean> bool(Node n, String fieldPath) {
    Optional<String> text = scalarText(n, fieldPath, "true or false");
    if (text.isEmpty()) {
      return Optional.empty();
    }
    if (!Tag.BOOL.equals(n.getTag())) {
      problems.at(n, fieldPath, "expected true or false, got " + YamlNodes.describe(n));
      return Optional.empty();
    }
    return Optional.of(
        switch (text.get().toLowerCase(Locale.ROOT)) {
          case "true", "yes", "on" -> true;
          default -> false;
        });
  }

  Optional<Duration> duration(String key) {
    return get(key)
        .flatMap(
            n ->
                scalarText(n, pathOf(key), "a duration")
                    .flatMap(
                        text -> {
                          Optional<Duration> d = GoDuration.parse(text);
                          if (d.isEmpty()) {
                            problems.at(
                                n,
                                pathOf(key),
                                "expected a duration such as 4m0s, 1h30m, 8760h or 500ms (units"
                                    + " h, m, s, ms, us, ns), got "
                                    + YamlNodes.describe(n));
                          }
                          return d.map(v -> remember(key, v));
                        }));
  }

  List<String> stringList(String key) {
    Optional<Node> value = get(key);
    if (value.isEmpty()) {
      return List.of();
    }
    remember(key, null);
    List<String> out = new ArrayList<>();
    List<Node> items = sequence(value.get(), pathOf(key), "a list of strings");
    for (int i = 0; i < items.size(); i++) {
      Node item = items.get(i);
      String itemPath = pathOf(key) + "[" + i + "]";
      if (YamlNodes.isNull(item)) {
        problems.at(item, itemPath, "expected a string, got null");
        continue;
      }
      scalarText(item, itemPath, "a string").ifPresent(out::add);
    }
    return out;
  }

  /** The items of a list value. Absent, null or not a list gives an empty list. */
  List<Node> list(String key, String expected) {
    return get(key).map(n -> sequence(n, pathOf(key), expected)).orElse(List.of());
  }

  /**
   * The items of the list at {@code key} that are mappings, each with its path ({@code key[i]}); an
   * item that is not one is recorded as a problem and left out.
   */
  List<YamlMapping> mappings(String key, String expected) {
    List<Node> items = list(key, expected);
    List<YamlMapping> mappings = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      of(problems, origins, pathOf(key) + "[" + i + "]", items.get(i)).ifPresent(mappings::add);
    }
    return mappings;
  }

  Optional<YamlMapping> mapping(String key) {
    return get(key).flatMap(n -> of(problems, origins, pathOf(key), n));
  }

  /** A mapping of free-form keys (featureGates): key -> value node. */
  Map<String, Node> freeMapping(String key, String expected) {
    Map<String, Node> out = new LinkedHashMap<>();
    Optional<Node> value = get(key);
    if (value.isEmpty()) {
      return out;
    }
    if (!(value.get() instanceof MappingNode map)) {
      problems.at(
          value.get(),
          pathOf(key),
          "expected " + expected + ", got " + YamlNodes.describe(value.get()));
      return out;
    }
    for (NodeTuple tuple : map.getValue()) {
      Node keyNode = tuple.getKeyNode();
      if (!(keyNode instanceof ScalarNode k) || YamlNodes.isNull(keyNode)) {
        problems.at(keyNode, pathOf(key), "expected a name, got " + YamlNodes.describe(keyNode));
        continue;
      }
      out.putIfAbsent(k.getValue(), tuple.getValueNode());
    }
    return out;
  }

  List<Node> sequence(Node n, String listPath, String expected) {
    if (!(n instanceof SequenceNode seq)) {
      problems.at(n, listPath, "expected " + expected + ", got " + YamlNodes.describe(n));
      return List.of();
    }
    return seq.getValue();
  }

  Optional<String> scalarText(Node n, String fieldPath, String expected) {
    if (!(n instanceof ScalarNode scalar)) {
      problems.at(n, fieldPath, "expected " + expected + ", got " + YamlNodes.describe(n));
      return Optional.empty();
    }
    return Optional.of(scalar.getValue());
  }

  /** Records a problem at a field of this mapping. */
  void problem(String key, String message) {
    problems.at(get(key).orElse(keyNode(key)), pathOf(key), message);
  }

  Problems problems() {
    return problems;
  }

  Map<String, String> origins() {
    return origins;
  }

  private <T> T remember(String key, T value) {
    Node at = values.get(key);
    origins.put(pathOf(key), problems.source() + ":" + YamlNodes.line(at));
    return value;
  }
}
