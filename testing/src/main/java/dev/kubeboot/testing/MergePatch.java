package dev.kubeboot.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON Merge Patch (RFC 7386), {@code application/merge-patch+json}: objects merge key by key, a
 * {@code null} removes the key, anything else (lists included) replaces.
 */
final class MergePatch {
  private MergePatch() {}

  static JsonNode apply(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch.deepCopy();
    }
    ObjectNode result =
        target != null && target.isObject()
            ? ((ObjectNode) target).deepCopy()
            : JsonNodeFactory.instance.objectNode();
    List<Map.Entry<String, JsonNode>> entries = new ArrayList<>(patch.properties());
    for (Map.Entry<String, JsonNode> entry : entries) {
      if (entry.getValue().isNull()) {
        result.remove(entry.getKey());
      } else {
        result.set(entry.getKey(), apply(result.get(entry.getKey()), entry.getValue()));
      }
    }
    return result;
  }
}
