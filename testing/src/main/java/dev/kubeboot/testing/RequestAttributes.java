package dev.kubeboot.testing;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What an authorizer decides on, as kube-apiserver's RequestInfo: the verb (get, list, watch,
 * create, update, patch, delete, deletecollection for resources; the lower-case HTTP method for
 * other paths), and the API group, resource, subresource, namespace and name, or the path.
 */
record RequestAttributes(
    String verb,
    boolean resourceRequest,
    String apiGroup,
    String resource,
    String subresource,
    String namespace,
    String name,
    String path) {

  static RequestAttributes of(String method, String path, Map<String, List<String>> query) {
    Optional<ApiPath> parsed = ApiPath.parse(path);
    String httpVerb = method.toLowerCase(Locale.ROOT);
    if (parsed.isEmpty()) {
      return new RequestAttributes(
          httpVerb.equals("head") ? "get" : httpVerb, false, "", "", "", "", "", path);
    }
    ApiPath p = parsed.get();
    List<String> watch = query.getOrDefault("watch", List.of());
    boolean watching = p.watchPrefix() || watch.contains("true") || watch.contains("1");
    String verb =
        switch (method) {
          case "GET", "HEAD" -> watching ? "watch" : p.name().isEmpty() ? "list" : "get";
          case "POST" -> "create";
          case "PUT" -> "update";
          case "PATCH" -> "patch";
          case "DELETE" -> p.name().isEmpty() ? "deletecollection" : "delete";
          default -> httpVerb;
        };
    // As RequestInfo: /api/v1/namespaces/<name> lies in namespace <name>.
    String namespace =
        p.plural().equals("namespaces") && p.group().isEmpty() ? p.name() : p.namespace();
    return new RequestAttributes(
        verb, true, p.group(), p.plural(), p.subresource(), namespace, p.name(), path);
  }

  /** kube-apiserver's wording of a denial for {@code user}. */
  String forbiddenMessage(String user) {
    if (!resourceRequest) {
      return "forbidden: User \"" + user + "\" cannot " + verb + " path \"" + path + "\"";
    }
    String combined = subresource.isEmpty() ? resource : resource + "/" + subresource;
    String qualified = apiGroup.isEmpty() ? resource : resource + "." + apiGroup;
    return qualified
        + (name.isEmpty() ? "" : " \"" + name + "\"")
        + " is forbidden: User \""
        + user
        + "\" cannot "
        + verb
        + " resource \""
        + combined
        + "\" in API group \""
        + apiGroup
        + "\""
        + (namespace.isEmpty()
            ? " at the cluster scope"
            : " in the namespace \"" + namespace + "\"");
  }
}
