package dev.kubeboot.testing;

import java.util.List;
import java.util.Optional;

/** One resource type the stand-in's API lists in discovery and stores in memory. */
record ApiResource(
    String group,
    String version,
    String kind,
    String plural,
    String singular,
    boolean namespaced,
    List<String> shortNames) {

  ApiResource {
    shortNames = List.copyOf(shortNames);
  }

  static final List<String> VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  /** What the stand-in serves: enough for static pods, their node and what kubectl users poke. */
  static final List<ApiResource> SERVED =
      List.of(
          core("Pod", "pods", true, "po"),
          core("Node", "nodes", false, "no"),
          core("Namespace", "namespaces", false, "ns"),
          core("Event", "events", true, "ev"),
          core("ConfigMap", "configmaps", true, "cm"),
          core("Secret", "secrets", true),
          core("Service", "services", true, "svc"),
          core("ServiceAccount", "serviceaccounts", true, "sa"),
          core("Endpoints", "endpoints", true, "ep"),
          new ApiResource(
              "apps", "v1", "Deployment", "deployments", "deployment", true, List.of("deploy")),
          new ApiResource(
              "apps", "v1", "DaemonSet", "daemonsets", "daemonset", true, List.of("ds")),
          new ApiResource(
              "apps", "v1", "ReplicaSet", "replicasets", "replicaset", true, List.of("rs")),
          new ApiResource(
              "apps", "v1", "StatefulSet", "statefulsets", "statefulset", true, List.of("sts")),
          new ApiResource("coordination.k8s.io", "v1", "Lease", "leases", "lease", true, List.of()),
          rbac("Role", "roles", true),
          rbac("RoleBinding", "rolebindings", true),
          rbac("ClusterRole", "clusterroles", false),
          rbac("ClusterRoleBinding", "clusterrolebindings", false));

  /** Stored only: the stand-in authorizes nothing (kubeboot's init writes these objects). */
  private static ApiResource rbac(String kind, String plural, boolean namespaced) {
    return new ApiResource(
        "rbac.authorization.k8s.io",
        "v1",
        kind,
        plural,
        kind.toLowerCase(java.util.Locale.ROOT),
        namespaced,
        List.of());
  }

  private static ApiResource core(
      String kind, String plural, boolean namespaced, String... shorts) {
    return new ApiResource(
        "",
        "v1",
        kind,
        plural,
        kind.toLowerCase(java.util.Locale.ROOT),
        namespaced,
        List.of(shorts));
  }

  String groupVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /** The URL prefix of the group version: {@code /api/v1} or {@code /apis/<group>/<version>}. */
  String prefix() {
    return group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
  }

  /** The resource a request path addresses, if the stand-in serves it. */
  static Optional<ApiResource> forPath(String path) {
    for (ApiResource resource : SERVED) {
      String prefix = resource.prefix() + "/";
      if (!path.startsWith(prefix)) {
        continue;
      }
      String[] rest = path.substring(prefix.length()).split("/");
      String plural = rest.length >= 3 && rest[0].equals("namespaces") ? rest[2] : rest[0];
      if (plural.equals(resource.plural)) {
        return Optional.of(resource);
      }
    }
    return Optional.empty();
  }

  /** Whether the path names one object rather than a collection. */
  static boolean namesOneObject(String path, ApiResource resource) {
    String[] rest = path.substring(resource.prefix().length() + 1).split("/");
    return rest.length >= 3 && rest[0].equals("namespaces") && !resource.plural.equals("namespaces")
        ? rest.length >= 4
        : rest.length >= 2;
  }
}
