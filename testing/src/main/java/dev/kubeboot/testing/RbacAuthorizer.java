package dev.kubeboot.testing;

import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Authorization. A verified client certificate may do everything (the stand-in implements neither
 * the Node authorizer nor RBAC for certificate users, so admin.conf, the components and the kubelet
 * keep working as before). Everyone else — anonymous callers and bootstrap-token users — gets
 * exactly what RBAC grants: the ClusterRoleBindings, and the RoleBindings of the request's
 * namespace, read from etcd at each request, whose subjects (User, Group, ServiceAccount) match,
 * and the rules of the Roles / ClusterRoles they name (verbs, apiGroups, resources with
 * subresources and wildcards, resourceNames, nonResourceURLs with a trailing {@code *}). Aggregated
 * ClusterRoles are not aggregated.
 */
final class RbacAuthorizer {
  private final ObjectStore store;

  RbacAuthorizer(ObjectStore store) {
    this.store = store;
  }

  boolean allowed(ClientIdentity who, RequestAttributes request) {
    if (who.source() == ClientIdentity.Source.CERTIFICATE) {
      return true;
    }
    ObjectStore.Selection all =
        new ObjectStore.Selection("", "", LabelSelector.EVERYTHING, FieldSelector.EVERYTHING);
    for (JsonNode binding :
        store.list(ApiResource.CLUSTER_ROLE_BINDINGS, all, 0, "").path("items")) {
      if (bindsTo(binding, who)
          && binding.path("roleRef").path("kind").asString("").equals("ClusterRole")
          && grants(clusterRole(binding), request)) {
        return true;
      }
    }
    if (request.namespace().isEmpty()) {
      return false;
    }
    ObjectStore.Selection inNamespace =
        new ObjectStore.Selection(
            request.namespace(), "", LabelSelector.EVERYTHING, FieldSelector.EVERYTHING);
    for (JsonNode binding :
        store.list(ApiResource.ROLE_BINDINGS, inNamespace, 0, "").path("items")) {
      if (!bindsTo(binding, who)) {
        continue;
      }
      String kind = binding.path("roleRef").path("kind").asString("");
      Optional<ObjectNode> role =
          kind.equals("ClusterRole")
              ? clusterRole(binding)
              : kind.equals("Role")
                  ? store.find(
                      ApiResource.ROLES,
                      request.namespace(),
                      binding.path("roleRef").path("name").asString(""))
                  : Optional.empty();
      if (grants(role, request)) {
        return true;
      }
    }
    return false;
  }

  private Optional<ObjectNode> clusterRole(JsonNode binding) {
    String name = binding.path("roleRef").path("name").asString("");
    return name.isEmpty() ? Optional.empty() : store.find(ApiResource.CLUSTER_ROLES, "", name);
  }

  static boolean bindsTo(JsonNode binding, ClientIdentity who) {
    for (JsonNode subject : binding.path("subjects")) {
      String name = subject.path("name").asString("");
      boolean matches =
          switch (subject.path("kind").asString("")) {
            case "User" -> name.equals(who.user());
            case "Group" -> who.groups().contains(name);
            case "ServiceAccount" ->
                who.user()
                    .equals(
                        "system:serviceaccount:"
                            + subject.path("namespace").asString("")
                            + ":"
                            + name);
            default -> false;
          };
      if (matches) {
        return true;
      }
    }
    return false;
  }

  private static boolean grants(Optional<ObjectNode> role, RequestAttributes request) {
    if (role.isEmpty()) {
      return false;
    }
    for (JsonNode rule : role.get().path("rules")) {
      if (ruleAllows(rule, request)) {
        return true;
      }
    }
    return false;
  }

  static boolean ruleAllows(JsonNode rule, RequestAttributes request) {
    if (!contains(rule.path("verbs"), request.verb())) {
      return false;
    }
    if (!request.resourceRequest()) {
      for (JsonNode url : rule.path("nonResourceURLs")) {
        String pattern = url.asString("");
        if (pattern.equals("*")
            || pattern.equals(request.path())
            || (pattern.endsWith("*")
                && request.path().startsWith(pattern.substring(0, pattern.length() - 1)))) {
          return true;
        }
      }
      return false;
    }
    if (!contains(rule.path("apiGroups"), request.apiGroup())) {
      return false;
    }
    String combined =
        request.subresource().isEmpty()
            ? request.resource()
            : request.resource() + "/" + request.subresource();
    boolean resourceMatches = false;
    for (JsonNode resource : rule.path("resources")) {
      String r = resource.asString("");
      if (r.equals("*")
          || r.equals(combined)
          || (!request.subresource().isEmpty() && r.equals("*/" + request.subresource()))) {
        resourceMatches = true;
        break;
      }
    }
    if (!resourceMatches) {
      return false;
    }
    JsonNode names = rule.path("resourceNames");
    if (names.isEmpty()) {
      return true;
    }
    if (request.name().isEmpty()) {
      return false;
    }
    for (JsonNode name : names) {
      if (name.asString("").equals(request.name())) {
        return true;
      }
    }
    return false;
  }

  private static boolean contains(JsonNode values, String wanted) {
    for (JsonNode value : values) {
      String v = value.asString("");
      if (v.equals("*") || v.equals(wanted)) {
        return true;
      }
    }
    return false;
  }
}
