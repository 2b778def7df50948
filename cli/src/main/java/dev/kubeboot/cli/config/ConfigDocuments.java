package dev.kubeboot.cli.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * The documents of a kubeadm configuration stream as the init and join readers take them: composed
 * (not constructed) so every problem can name its line, and each checked to be a mapping with an
 * {@code apiVersion} and a {@code kind} before a reader looks at what it is.
 */
final class ConfigDocuments {
  /** What a document says it is, and where it starts. */
  record Header(MappingNode map, String apiVersion, String kind, int line) {}

  private ConfigDocuments() {}

  /**
   * The warning for a {@code kind} document written in the deprecated v1beta3 API, at {@code
   * source:line}.
   */
  static String deprecatedV1beta3(String source, int line, String kind) {
    return source
        + ":"
        + line
        + ": "
        + KubeadmSchema.Version.V1BETA3.apiVersion
        + " (kind "
        + kind
        + ") is deprecated; migrate to "
        + KubeadmSchema.Version.V1BETA4.apiVersion
        + " with 'kubeadm config migrate'";
  }

  /**
   * The text of a config file.
   *
   * @throws ConfigException naming the file and the system's reason when it cannot be read
   */
  static String readFile(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException(
          "cannot read the config file "
              + file
              + ": "
              + ConfigReader.reason(e)
              + "; check --config");
    }
  }

  /** The warning for a document a reader skips, with {@code why} it is not read. */
  static String ignored(String source, Header header, String why) {
    return source
        + ":"
        + header.line()
        + ": ignored document "
        + header.apiVersion()
        + ", Kind="
        + header.kind()
        + ": "
        + why;
  }

  /**
   * A composer for config text: duplicate keys are allowed so that the schema check reports them
   * with their lines instead of the parser stopping at the first; aliases are bounded against alias
   * bombs.
   */
  static Yaml composer() {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(true);
    options.setMaxAliasesForCollections(50);
    return new Yaml(new SafeConstructor(options));
  }

  /**
   * The header of {@code document}; empty, with the problem recorded, when it is not a mapping or
   * lacks a non-empty string {@code apiVersion} or {@code kind}.
   *
   * @param exampleKind the kind the message suggests, e.g. "InitConfiguration"
   */
  static Optional<Header> header(Node document, Problems problems, String exampleKind) {
    int line = YamlNodes.line(document);
    if (!(document instanceof MappingNode map)) {
      problems.atLine(
          line,
          "a config document must be a mapping with apiVersion and kind, got "
              + YamlNodes.describe(document));
      return Optional.empty();
    }
    String apiVersion = topLevelString(map, "apiVersion", problems);
    String kind = topLevelString(map, "kind", problems);
    if (apiVersion == null || kind == null) {
      problems.atLine(
          line,
          "document without "
              + (apiVersion == null ? "apiVersion" : "kind")
              + "; every document needs both, e.g. apiVersion: "
              + ConfigReader.V1BETA4
              + " and kind: "
              + exampleKind);
      return Optional.empty();
    }
    if (apiVersion.isEmpty() || kind.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Header(map, apiVersion, kind, line));
  }

  /**
   * The string value of a top-level key: null when the key is absent, "" (with the problem
   * recorded) when its value is not a non-empty string.
   */
  private static String topLevelString(MappingNode map, String key, Problems problems) {
    for (NodeTuple t : map.getValue()) {
      if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
        if (t.getValueNode() instanceof ScalarNode v
            && !YamlNodes.isNull(v)
            && !v.getValue().isEmpty()) {
          return v.getValue();
        }
        problems.at(
            t.getValueNode(),
            key,
            "expected a non-empty string, got " + YamlNodes.describe(t.getValueNode()));
        return "";
      }
    }
    return null;
  }
}
