package dev.kubeboot.testing;

import io.fabric8.zjsonpatch.CompatibilityFlags;
import io.fabric8.zjsonpatch.JsonPatch;
import io.fabric8.zjsonpatch.JsonPatchException;
import java.util.EnumSet;
import java.util.Locale;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The PATCH content types kube-apiserver accepts: JSON Patch (RFC 6902, applied by fabric8's
 * zjsonpatch), JSON Merge Patch (RFC 7386) and strategic merge patch. Server-side apply ({@code
 * application/apply-patch+yaml}) is refused with 415: the stand-in tracks no field managers.
 */
final class Patches {
  static final String JSON_PATCH = "application/json-patch+json";
  static final String MERGE_PATCH = "application/merge-patch+json";
  static final String STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json";

  private final JsonMapper json;

  Patches(JsonMapper json) {
    this.json = json;
  }

  /**
   * Checks the content type and parses the body, so that a bad patch fails before anything is read.
   */
  Patch parse(String contentType, byte[] body) {
    String type =
        contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
    if (type.startsWith("application/apply-patch")) {
      throw ApiException.unsupportedMediaType(
          "server-side apply ("
              + type
              + ") is not implemented by the kube-apiserver stand-in: use kubectl apply without"
              + " --server-side, kubectl patch, or an update");
    }
    if (!type.equals(JSON_PATCH)
        && !type.equals(MERGE_PATCH)
        && !type.equals(STRATEGIC_MERGE_PATCH)) {
      throw ApiException.unsupportedMediaType(
          "the body of the request was in an unknown format - accepted media types include: "
              + JSON_PATCH
              + ", "
              + MERGE_PATCH
              + ", "
              + STRATEGIC_MERGE_PATCH);
    }
    JsonNode patch;
    try {
      patch = json.readTree(body);
    } catch (JacksonException e) {
      throw ApiException.badRequest("the patch is not JSON: " + e.getOriginalMessage());
    }
    if (type.equals(JSON_PATCH) ? !patch.isArray() : !patch.isObject()) {
      throw ApiException.badRequest(
          type.equals(JSON_PATCH)
              ? "a JSON patch must be a JSON array of operations"
              : "a merge patch must be a JSON object");
    }
    return new Patch(type, patch);
  }

  /** A parsed patch, applied to each version of the object the compare-and-swap loop reads. */
  record Patch(String type, JsonNode body) {
    JsonNode applyTo(JsonNode current, ApiResource resource, String name) {
      try {
        return switch (type) {
          case JSON_PATCH ->
              // RFC 6902: removing what is not there is an error, as in kube-apiserver.
              JsonPatch.apply(
                  body, current, EnumSet.of(CompatibilityFlags.FORBID_REMOVE_MISSING_OBJECT));
          case MERGE_PATCH -> MergePatch.apply(current, body);
          default -> StrategicMergePatch.apply(current, body);
        };
      } catch (JsonPatchException | IllegalArgumentException e) {
        throw ApiException.invalid(resource, name, "the patch does not apply: " + e.getMessage());
      }
    }
  }
}
