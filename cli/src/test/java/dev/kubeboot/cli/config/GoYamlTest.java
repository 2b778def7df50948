package dev.kubeboot.cli.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.yaml.snakeyaml.Yaml;

/** Strings quoted where Go's serializer quotes them: double quotes, never single. */
class GoYamlTest {
  @ParameterizedTest(name = "[{0}] is written as {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "cluster.local|cluster.local",
        "0|\"0\"",
        "true|\"true\"",
        "''|\"\"",
        "10.96.0.10|10.96.0.10",
        "0s|0s",
        "a: b|\"a: b\"",
        "::|\"::\"",
        "-x|\"-x\"",
        "2030-01-02T03:04:05Z|\"2030-01-02T03:04:05Z\""
      })
  void quotesLikeGo(String value, String written) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("k", value);
    String yaml = GoYaml.dump(doc);
    assertThat(yaml).isEqualTo("k: " + written + "\n");
    assertThat(((Map<?, ?>) new Yaml().load(yaml)).get("k")).isEqualTo(value);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"nested structures stay in block style"})
  void blockStyle(String ignored) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("list", List.of("a"));
    doc.put("map", Map.of());
    doc.put("none", null);
    assertThat(GoYaml.dump(doc)).isEqualTo("list:\n- a\nmap: {}\nnone: null\n");
  }
}
