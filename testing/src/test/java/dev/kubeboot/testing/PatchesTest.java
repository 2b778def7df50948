package dev.kubeboot.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class PatchesTest {
  final JsonMapper json = JsonMapper.builder().build();
  final Patches patches = new Patches(json);
  static final ApiResource NODES = ApiResource.byPlural("/api/v1", "nodes").orElseThrow();

  JsonNode read(String text) {
    return json.readTree(text.replace('\'', '"'));
  }

  JsonNode apply(String type, String original, String patch) {
    return patches
        .parse(type, patch.replace('\'', '"').getBytes(StandardCharsets.UTF_8))
        .applyTo(read(original), NODES, "n");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "merge patch: maps merge, lists replace, null removes|application/merge-patch+json"
            + "|{'metadata':{'labels':{'a':'1'}},'spec':{'taints':[{'key':'x'}]}}"
            + "|{'metadata':{'labels':{'a':null,'b':'2'}},'spec':{'taints':[{'key':'y'}]}}"
            + "|{'metadata':{'labels':{'b':'2'}},'spec':{'taints':[{'key':'y'}]}}",
        "JSON patch (RFC 6902)|application/json-patch+json"
            + "|{'metadata':{'labels':{'a':'1'}}}"
            + "|[{'op':'add','path':'/metadata/labels/b','value':'2'},"
            + "{'op':'remove','path':'/metadata/labels/a'}]"
            + "|{'metadata':{'labels':{'b':'2'}}}",
        "strategic merge patch with a charset parameter"
            + "|application/strategic-merge-patch+json; charset=utf-8"
            + "|{'spec':{'taints':[{'key':'x'}]}}"
            + "|{'spec':{'taints':null}}"
            + "|{'spec':{}}"
      })
  void appliesEachPatchType(String name, String type, String original, String patch, String want) {
    assertThat(apply(type, original, patch)).isEqualTo(read(want));
  }

  @ParameterizedTest(name = "{0} is refused with {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "application/apply-patch+yaml|415|server-side apply",
        "text/plain|415|unknown format",
        "application/merge-patch+json|400|must be a JSON object",
      })
  void refusesWhatItCannotApply(String type, int code, String message) {
    assertThatThrownBy(() -> patches.parse(type, "[1]".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code).isEqualTo(code))
        .hasMessageContaining(message);
  }

  @ParameterizedTest(name = "a failing JSON patch is 422 Invalid: {0}")
  @CsvSource(
      delimiter = '|',
      value = {"[{'op':'remove','path':'/nothing'}]", "[{'op':'test','path':'/a','value':2}]"})
  void aJsonPatchThatDoesNotApplyIsInvalid(String patch) {
    assertThatThrownBy(() -> apply("application/json-patch+json", "{'a':1}", patch))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.code).isEqualTo(422);
              assertThat(e.statusJson()).contains("\"reason\":\"Invalid\"", "Node \\\"n\\\"");
            });
  }
}
