package dev.kubeboot.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GoJsonTest {
  /** A quote, a backslash, control characters, HTML characters, a line separator, non-ASCII. */
  private static final String AWKWARD =
      "say \"hi\" \\ back\nnext\ttab\r\b\f\u0001\u001f <a&b> \u2028 caf\u00e9 \u65e5\u672c \uD83D\uDE00";

  @Test
  void stringsAreEscapedAsGosJsonMarshal() {
    assertThat(GoJson.marshalIndent(AWKWARD, "    "))
        .isEqualTo(
            "\"say \\\"hi\\\" \\\\ back\\nnext\\ttab\\r\\b\\f\\u0001\\u001f"
                + " \\u003ca\\u0026b\\u003e \\u2028 caf\u00e9 \u65e5\u672c \uD83D\uDE00\"\n");
  }

  @Test
  void layoutIsMarshalIndentsWithEmptyContainersAndNulls() {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("kind", "K");
    doc.put("count", 3L);
    doc.put("ok", true);
    doc.put("missing", null);
    doc.put("empty", List.of());
    doc.put("none", Map.of());
    doc.put("items", List.of(Map.of("name", "a"), "b"));
    assertThat(GoJson.marshalIndent(doc, "  "))
        .isEqualTo(
            """
            {
              "kind": "K",
              "count": 3,
              "ok": true,
              "missing": null,
              "empty": [],
              "none": {},
              "items": [
                {
                  "name": "a"
                },
                "b"
              ]
            }
            """);
  }

  @Test
  void anotherParserReadsBackEveryFieldAsWritten() throws Exception {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("plain", "x");
    doc.put(AWKWARD, AWKWARD);
    doc.put("list", List.of(AWKWARD, "y"));
    doc.put("number", 42L);

    List<Map<String, String>> parsed = PythonJson.objects(GoJson.marshalIndent(doc, "    "));

    assertThat(parsed).hasSize(1);
    assertThat(parsed.getFirst())
        .containsExactly(
            Map.entry("plain", "x"),
            Map.entry(AWKWARD, AWKWARD),
            Map.entry("list", AWKWARD + "\ny"),
            Map.entry("number", "42"));
  }
}
