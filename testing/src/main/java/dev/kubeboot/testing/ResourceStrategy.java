package dev.kubeboot.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What kube-apiserver's registry strategies do to an object on its way into storage, for the kinds
 * the stand-in serves: the {@code status} subresource (status is reset on create for pods, services
 * and workloads, kept from the stored object on a main-resource write, and the only thing a {@code
 * /status} write changes), {@code metadata.generation} for workloads, a Secret's {@code stringData}
 * folded into {@code data} and its default type, a Namespace's phase and finalizer. No other
 * defaulting or validation happens.
 */
final class ResourceStrategy {
  private ResourceStrategy() {}

  /** Prepares a new object (identity metadata is set by the store). */
  static void prepareForCreate(ApiResource resource, ObjectNode object) {
    switch (resource.kind()) {
      case "Pod" -> object.putObject("status").put("phase", "Pending");
      case "Service" -> object.putObject("status").putObject("loadBalancer");
      case "Namespace" -> {
        ObjectNode spec =
            object.has("spec") ? (ObjectNode) object.get("spec") : object.putObject("spec");
        if (!spec.has("finalizers")) {
          spec.putArray("finalizers").add("kubernetes");
        }
        object.putObject("status").put("phase", "Active");
      }
      case "Secret" -> foldStringData(object);
      default -> {
        if (resource.statusSubresource() && !resource.kind().equals("Node")) {
          object.putObject("status");
        }
      }
    }
    if (resource.generation()) {
      ((ObjectNode) object.get("metadata")).put("generation", 1);
    }
  }

  /**
   * The object to store when {@code updated} replaces {@code stored}, through the main resource
   * ({@code subresource} empty) or {@code status}. Identity metadata is taken from {@code stored}.
   */
  static ObjectNode prepareForUpdate(
      ApiResource resource, String subresource, ObjectNode stored, ObjectNode updated) {
    ObjectNode result;
    if (subresource.equals("status")) {
      result = stored.deepCopy();
      JsonNode status = updated.get("status");
      if (status == null || status.isNull()) {
        result.remove("status");
      } else {
        result.set("status", status.deepCopy());
      }
      return result;
    }
    result = updated.deepCopy();
    if (resource.statusSubresource()) {
      JsonNode status = stored.get("status");
      if (status == null) {
        result.remove("status");
      } else {
        result.set("status", status.deepCopy());
      }
    }
    if (resource.kind().equals("Secret")) {
      foldStringData(result);
    }
    ObjectNode metadata = (ObjectNode) result.get("metadata");
    JsonNode storedMeta = stored.path("metadata");
    for (String kept : new String[] {"uid", "creationTimestamp", "deletionTimestamp"}) {
      if (storedMeta.has(kept)) {
        metadata.set(kept, storedMeta.get(kept).deepCopy());
      } else {
        metadata.remove(kept);
      }
    }
    if (resource.generation()) {
      long generation = storedMeta.path("generation").asLong(1);
      boolean specChanged = !stored.path("spec").equals(result.path("spec"));
      metadata.put("generation", specChanged ? generation + 1 : generation);
    }
    return result;
  }

  private static void foldStringData(ObjectNode secret) {
    if (!secret.has("type") || secret.get("type").asString("").isEmpty()) {
      secret.put("type", "Opaque");
    }
    JsonNode stringData = secret.remove("stringData");
    if (stringData instanceof ObjectNode strings && !strings.isEmpty()) {
      ObjectNode data = secret.get("data") instanceof ObjectNode d ? d : secret.putObject("data");
      for (Map.Entry<String, JsonNode> entry : new ArrayList<>(strings.properties())) {
        data.put(
            entry.getKey(),
            Base64.getEncoder()
                .encodeToString(entry.getValue().asString("").getBytes(StandardCharsets.UTF_8)));
      }
    }
  }
}
