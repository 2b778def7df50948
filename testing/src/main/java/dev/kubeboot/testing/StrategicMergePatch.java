package dev.kubeboot.testing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Strategic merge patch ({@code application/strategic-merge-patch+json}), what {@code kubectl
 * patch} sends by default and {@code kubectl apply} computes. Like a merge patch, except that the
 * lists Kubernetes marks {@code patchStrategy:"merge"} merge their items by a key ({@code
 * containers} by name, {@code conditions} by type, ...) and {@code metadata.finalizers} merges as a
 * set, and that the directives {@code $patch} (replace, delete, merge), {@code $retainKeys}, {@code
 * $setElementOrder/<list>} and {@code $deleteFromPrimitiveList/<list>} are honoured.
 *
 * <p>The merge keys come from a table of the fields of the built-in types the stand-in serves (the
 * real server reads them from its Go struct tags); a list not in the table is replaced whole, which
 * is what the real server does for every list without a patch strategy (taints, tolerations, RBAC
 * rules and subjects, ...).
 */
final class StrategicMergePatch {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String PATCH = "$patch";
  private static final String RETAIN_KEYS = "$retainKeys";
  private static final String SET_ORDER = "$setElementOrder/";
  private static final String DELETE_PRIMITIVE = "$deleteFromPrimitiveList/";
  private static final Set<String> CONTAINER_LISTS =
      Set.of("containers", "initContainers", "ephemeralContainers");
  private static final Map<String, String> MERGE_KEYS =
      Map.ofEntries(
          Map.entry("containers", "name"),
          Map.entry("initContainers", "name"),
          Map.entry("ephemeralContainers", "name"),
          Map.entry("env", "name"),
          Map.entry("volumes", "name"),
          Map.entry("volumeMounts", "mountPath"),
          Map.entry("volumeDevices", "devicePath"),
          Map.entry("imagePullSecrets", "name"),
          Map.entry("hostAliases", "ip"),
          Map.entry("conditions", "type"),
          Map.entry("ownerReferences", "uid"),
          Map.entry("resourceClaims", "name"),
          Map.entry("topologySpreadConstraints", "topologyKey"),
          Map.entry("addresses", "type"));
  private static final Set<String> PRIMITIVE_SETS = Set.of("finalizers");

  private StrategicMergePatch() {}

  /**
   * The result of applying {@code patch} to {@code original} (which is not changed).
   *
   * @throws IllegalArgumentException when the patch is not an object or misuses a directive
   */
  static JsonNode apply(JsonNode original, JsonNode patch) {
    if (!patch.isObject()) {
      throw new IllegalArgumentException("a strategic merge patch must be a JSON object");
    }
    ObjectNode start =
        original.isObject() ? ((ObjectNode) original).deepCopy() : NODES.objectNode();
    return mergeMap(start, (ObjectNode) patch, List.of()).orElse(NODES.objectNode());
  }

  private static Optional<ObjectNode> mergeMap(
      ObjectNode result, ObjectNode patch, List<String> path) {
    String directive = patch.path(PATCH).asString("merge");
    switch (directive) {
      case "delete" -> {
        return Optional.empty();
      }
      case "replace" -> {
        return Optional.of(withoutDirectives(patch, path));
      }
      case "merge" -> {}
      default ->
          throw new IllegalArgumentException(
              "unknown $patch directive \"" + directive + "\" at " + pathText(path));
    }
    for (Map.Entry<String, JsonNode> entry : new ArrayList<>(patch.properties())) {
      String key = entry.getKey();
      JsonNode value = entry.getValue();
      if (key.startsWith("$")) {
        continue;
      }
      List<String> childPath = child(path, key);
      if (value.isNull()) {
        result.remove(key);
      } else if (value.isObject()) {
        JsonNode existing = result.get(key);
        ObjectNode base =
            existing != null && existing.isObject() ? (ObjectNode) existing : NODES.objectNode();
        Optional<ObjectNode> merged = mergeMap(base, (ObjectNode) value, childPath);
        if (merged.isPresent()) {
          result.set(key, merged.get());
        } else {
          result.remove(key);
        }
      } else if (value.isArray()) {
        result.set(key, mergeList(result.get(key), (ArrayNode) value, childPath));
      } else {
        result.set(key, value.deepCopy());
      }
    }
    for (Map.Entry<String, JsonNode> entry : new ArrayList<>(patch.properties())) {
      String key = entry.getKey();
      if (key.startsWith(DELETE_PRIMITIVE)) {
        String list = key.substring(DELETE_PRIMITIVE.length());
        if (result.get(list) instanceof ArrayNode items) {
          Set<JsonNode> doomed = new HashSet<>();
          entry.getValue().forEach(doomed::add);
          ArrayNode kept = NODES.arrayNode();
          items.forEach(
              item -> {
                if (!doomed.contains(item)) {
                  kept.add(item);
                }
              });
          result.set(list, kept);
        }
      } else if (key.startsWith(SET_ORDER)) {
        String list = key.substring(SET_ORDER.length());
        if (result.get(list) instanceof ArrayNode items) {
          result.set(list, ordered(items, entry.getValue(), mergeKey(child(path, list))));
        }
      }
    }
    if (patch.get(RETAIN_KEYS) instanceof ArrayNode retain) {
      Set<String> keep = new HashSet<>();
      retain.forEach(k -> keep.add(k.asString("")));
      for (String key : new ArrayList<>(result.propertyNames())) {
        if (!keep.contains(key)) {
          result.remove(key);
        }
      }
    }
    return Optional.of(result);
  }

  private static JsonNode mergeList(JsonNode existing, ArrayNode patch, List<String> path) {
    Optional<String> mergeKey = mergeKey(path);
    String last = path.getLast();
    for (JsonNode item : patch) {
      if (item.isObject() && "replace".equals(item.path(PATCH).asString(""))) {
        ArrayNode replaced = NODES.arrayNode();
        for (JsonNode other : patch) {
          if (!(other.isObject() && other.has(PATCH))) {
            replaced.add(strip(other, path));
          }
        }
        return replaced;
      }
    }
    ArrayNode base = existing instanceof ArrayNode items ? items.deepCopy() : NODES.arrayNode();
    if (mergeKey.isPresent()) {
      String key = mergeKey.get();
      for (JsonNode item : patch) {
        if (!item.isObject() || !item.has(key)) {
          throw new IllegalArgumentException(
              "map in "
                  + pathText(path)
                  + " has no merge key \""
                  + key
                  + "\": the list merges its items by "
                  + key);
        }
        int at = indexOf(base, key, item.get(key));
        if ("delete".equals(item.path(PATCH).asString(""))) {
          if (at >= 0) {
            base.remove(at);
          }
          continue;
        }
        ObjectNode start =
            at >= 0 && base.get(at).isObject() ? (ObjectNode) base.get(at) : NODES.objectNode();
        Optional<ObjectNode> merged = mergeMap(start, (ObjectNode) item, path);
        if (at >= 0) {
          merged.ifPresentOrElse(m -> base.set(at, m), () -> base.remove(at));
        } else {
          merged.ifPresent(base::add);
        }
      }
      return base;
    }
    if (PRIMITIVE_SETS.contains(last)) {
      Set<JsonNode> present = new HashSet<>();
      base.forEach(present::add);
      for (JsonNode item : patch) {
        if (present.add(item)) {
          base.add(item.deepCopy());
        }
      }
      return base;
    }
    ArrayNode replaced = NODES.arrayNode();
    patch.forEach(item -> replaced.add(strip(item, path)));
    return replaced;
  }

  /** The list's items in {@code $setElementOrder}'s order; items it does not name keep theirs. */
  private static ArrayNode ordered(ArrayNode items, JsonNode order, Optional<String> mergeKey) {
    List<JsonNode> remaining = new ArrayList<>();
    items.forEach(remaining::add);
    ArrayNode result = NODES.arrayNode();
    for (JsonNode wanted : order) {
      JsonNode id = mergeKey.isPresent() ? wanted.path(mergeKey.get()) : wanted;
      for (int i = 0; i < remaining.size(); i++) {
        JsonNode candidate = remaining.get(i);
        JsonNode candidateId = mergeKey.isPresent() ? candidate.path(mergeKey.get()) : candidate;
        if (candidateId.equals(id)) {
          result.add(candidate);
          remaining.remove(i);
          break;
        }
      }
    }
    remaining.forEach(result::add);
    return result;
  }

  private static int indexOf(ArrayNode items, String key, JsonNode value) {
    for (int i = 0; i < items.size(); i++) {
      if (items.get(i).path(key).equals(value)) {
        return i;
      }
    }
    return -1;
  }

  /** The merge key of the list at {@code path}, if the real type marks it patchStrategy merge. */
  static Optional<String> mergeKey(List<String> path) {
    String last = path.getLast();
    if (last.equals("ports")) {
      if (path.stream().anyMatch(CONTAINER_LISTS::contains)) {
        return Optional.of("containerPort");
      }
      // Service spec.ports merge by port; other port lists (Endpoints subsets) are atomic.
      return path.size() == 2 && path.getFirst().equals("spec")
          ? Optional.of("port")
          : Optional.empty();
    }
    if (last.equals("addresses") && !path.equals(List.of("status", "addresses"))) {
      return Optional.empty();
    }
    return Optional.ofNullable(MERGE_KEYS.get(last));
  }

  private static JsonNode strip(JsonNode value, List<String> path) {
    if (value instanceof ObjectNode object) {
      return withoutDirectives(object, path);
    }
    return value.deepCopy();
  }

  /** A value new to the result: its own directives apply against nothing. */
  private static ObjectNode withoutDirectives(ObjectNode patch, List<String> path) {
    ObjectNode copy = patch.deepCopy();
    copy.remove(PATCH);
    return mergeMap(NODES.objectNode(), copy, path).orElse(NODES.objectNode());
  }

  private static List<String> child(List<String> path, String key) {
    List<String> next = new ArrayList<>(path);
    next.add(key);
    return List.copyOf(next);
  }

  private static String pathText(List<String> path) {
    return path.isEmpty() ? "the top level" : String.join(".", path);
  }
}
