package dev.kubeboot.testing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The documents kubectl reads before it touches a resource: legacy discovery ({@code /api}, {@code
 * /apis}, {@code /api/v1}, {@code /apis/<g>[/<v>]}) and OpenAPI v3 ({@code /openapi/v3} and one
 * document per group version). The OpenAPI documents carry only what kubectl's field-validation
 * check looks for (a PATCH operation per kind with its group-version-kind and a {@code
 * fieldValidation} query parameter), so kubectl leaves validation to the server, which here
 * validates nothing.
 */
final class Discovery {
  private final JsonMapper json;
  private final Map<String, String> documents = new LinkedHashMap<>();

  Discovery(JsonMapper json, String gitVersion) {
    this.json = json;
    Set<String> groupVersions = new LinkedHashSet<>();
    ApiResource.SERVED.forEach(r -> groupVersions.add(r.groupVersion()));
    ObjectNode openApiRoot = json.createObjectNode();
    ObjectNode rootPaths = openApiRoot.putObject("paths");
    ArrayNode groups = json.createArrayNode();
    for (String gv : groupVersions) {
      List<ApiResource> resources =
          ApiResource.SERVED.stream().filter(r -> r.groupVersion().equals(gv)).toList();
      ApiResource first = resources.getFirst();
      documents.put(first.prefix(), write(resourceList(gv, resources)));
      String openApiKey = first.prefix().substring(1);
      String openApi = write(openApiDocument(resources, gitVersion));
      documents.put("/openapi/v3/" + openApiKey, openApi);
      rootPaths
          .putObject(openApiKey)
          .put("serverRelativeURL", "/openapi/v3/" + openApiKey + "?hash=" + sha256(openApi));
      if (!first.group().isEmpty()) {
        ObjectNode group = group(first);
        groups.add(group);
        ObjectNode standalone = group.deepCopy();
        standalone.put("kind", "APIGroup").put("apiVersion", "v1");
        documents.put("/apis/" + first.group(), write(standalone));
      }
    }
    ObjectNode groupList =
        json.createObjectNode().put("kind", "APIGroupList").put("apiVersion", "v1");
    groupList.set("groups", groups);
    documents.put("/apis", write(groupList));
    documents.put("/openapi/v3", write(openApiRoot));
  }

  /** {@code /api} names the server's address, so it is made once the port is known. */
  void advertise(String address, int port) {
    ObjectNode versions = json.createObjectNode().put("kind", "APIVersions");
    versions.putArray("versions").add("v1");
    versions
        .putArray("serverAddressByClientCIDRs")
        .addObject()
        .put("clientCIDR", "0.0.0.0/0")
        .put("serverAddress", address + ":" + port);
    documents.put("/api", write(versions));
  }

  Optional<String> document(String path) {
    String trimmed =
        path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    return Optional.ofNullable(documents.get(trimmed));
  }

  private ObjectNode resourceList(String gv, List<ApiResource> resources) {
    ObjectNode list =
        json.createObjectNode()
            .put("kind", "APIResourceList")
            .put("apiVersion", "v1")
            .put("groupVersion", gv);
    ArrayNode items = list.putArray("resources");
    for (ApiResource r : resources) {
      ObjectNode item =
          items
              .addObject()
              .put("name", r.plural())
              .put("singularName", r.singular())
              .put("namespaced", r.namespaced())
              .put("kind", r.kind());
      ArrayNode verbs = item.putArray("verbs");
      ApiResource.VERBS.forEach(verbs::add);
      if (!r.shortNames().isEmpty()) {
        ArrayNode shorts = item.putArray("shortNames");
        r.shortNames().forEach(shorts::add);
      }
      if (r.statusSubresource()) {
        ObjectNode status =
            items
                .addObject()
                .put("name", r.plural() + "/status")
                .put("singularName", "")
                .put("namespaced", r.namespaced())
                .put("kind", r.kind());
        status.putArray("verbs").add("get").add("patch").add("update");
      }
    }
    return list;
  }

  private ObjectNode group(ApiResource r) {
    ObjectNode group = json.createObjectNode().put("name", r.group());
    ObjectNode version =
        json.createObjectNode().put("groupVersion", r.groupVersion()).put("version", r.version());
    group.putArray("versions").add(version);
    group.set("preferredVersion", version.deepCopy());
    return group;
  }

  private ObjectNode openApiDocument(List<ApiResource> resources, String gitVersion) {
    ObjectNode doc = json.createObjectNode().put("openapi", "3.0.0");
    doc.putObject("info")
        .put("title", "Kubernetes (kube-apiserver stand-in, a test double)")
        .put("version", gitVersion);
    ObjectNode paths = doc.putObject("paths");
    for (ApiResource r : resources) {
      String collection =
          r.prefix() + (r.namespaced() ? "/namespaces/{namespace}/" : "/") + r.plural();
      ObjectNode collectionPath = paths.putObject(collection);
      operation(collectionPath, "get", r, "list" + r.kind(), false);
      operation(collectionPath, "post", r, "create" + r.kind(), true);
      ObjectNode item = paths.putObject(collection + "/{name}");
      operation(item, "get", r, "read" + r.kind(), false);
      operation(item, "put", r, "replace" + r.kind(), true);
      operation(item, "patch", r, "patch" + r.kind(), true);
      operation(item, "delete", r, "delete" + r.kind(), false);
    }
    doc.putObject("components").putObject("schemas");
    return doc;
  }

  private static void operation(
      ObjectNode path, String method, ApiResource r, String operationId, boolean validates) {
    ObjectNode op = path.putObject(method).put("operationId", operationId);
    op.putObject("x-kubernetes-group-version-kind")
        .put("group", r.group())
        .put("version", r.version())
        .put("kind", r.kind());
    ArrayNode parameters = op.putArray("parameters");
    if (validates) {
      parameters
          .addObject()
          .put("name", "fieldValidation")
          .put("in", "query")
          .put("description", "accepted and ignored by the stand-in")
          .putObject("schema")
          .put("type", "string");
      parameters
          .addObject()
          .put("name", "fieldManager")
          .put("in", "query")
          .putObject("schema")
          .put("type", "string");
    }
    op.putObject("responses").putObject("200").put("description", "OK");
  }

  private String write(ObjectNode node) {
    return json.writeValueAsString(node);
  }

  private static String sha256(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().withUpperCase().formatHex(digest, 0, 32);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JDK has no SHA-256", e);
    }
  }
}
