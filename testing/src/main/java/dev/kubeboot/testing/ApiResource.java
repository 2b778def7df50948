package dev.kubeboot.testing;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One resource type the stand-in's API serves: its discovery data, where kube-apiserver keeps it in
 * etcd ({@code <prefix>/<storagePath>/[<namespace>/]<name>}; nodes are {@code minions} and services
 * {@code services/specs} there, as in kube-apiserver), whether it has a {@code status} subresource,
 * whether its spec changes bump {@code metadata.generation}, and how its names are validated.
 */
record ApiResource(
    String group,
    String version,
    String kind,
    String plural,
    boolean namespaced,
    List<String> shortNames,
    String storagePath,
    boolean statusSubresource,
    boolean generation,
    NameRule names) {

  /** kube-apiserver's name validations. */
  enum NameRule {
    /** DNS-1123 subdomain: lower-case alphanumerics, '-' and '.', at most 253 characters. */
    SUBDOMAIN,
    /** DNS-1123 label: lower-case alphanumerics and '-', at most 63 characters. */
    LABEL,
    /** RFC 1035 label: a DNS-1123 label that starts with a letter (Service names). */
    RFC1035_LABEL,
    /** Any path segment: not '.' or '..', no '/' or '%' (RBAC names such as system:node). */
    PATH_SEGMENT
  }

  ApiResource {
    shortNames = List.copyOf(shortNames);
  }

  static final List<String> VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  static final ApiResource NAMESPACES =
      core("Namespace", "namespaces", false, "namespaces", true, NameRule.LABEL, "ns");
  static final ApiResource SECRETS =
      core("Secret", "secrets", true, "secrets", false, NameRule.SUBDOMAIN);
  static final ApiResource CONFIG_MAPS =
      core("ConfigMap", "configmaps", true, "configmaps", false, NameRule.SUBDOMAIN, "cm");
  static final ApiResource ROLES = rbac("Role", "roles", true);
  static final ApiResource ROLE_BINDINGS = rbac("RoleBinding", "rolebindings", true);
  static final ApiResource CLUSTER_ROLES = rbac("ClusterRole", "clusterroles", false);
  static final ApiResource CLUSTER_ROLE_BINDINGS =
      rbac("ClusterRoleBinding", "clusterrolebindings", false);

  /** What the stand-in serves: static pods and their node, kubeadm's objects, kubectl's usual. */
  static final List<ApiResource> SERVED =
      List.of(
          core("Pod", "pods", true, "pods", true, NameRule.SUBDOMAIN, "po"),
          core("Node", "nodes", false, "minions", true, NameRule.SUBDOMAIN, "no"),
          NAMESPACES,
          core("Event", "events", true, "events", false, NameRule.SUBDOMAIN, "ev"),
          CONFIG_MAPS,
          SECRETS,
          core("Service", "services", true, "services/specs", true, NameRule.RFC1035_LABEL, "svc"),
          core(
              "ServiceAccount",
              "serviceaccounts",
              true,
              "serviceaccounts",
              false,
              NameRule.SUBDOMAIN,
              "sa"),
          core(
              "Endpoints",
              "endpoints",
              true,
              "services/endpoints",
              false,
              NameRule.SUBDOMAIN,
              "ep"),
          apps("Deployment", "deployments", "deploy"),
          apps("DaemonSet", "daemonsets", "ds"),
          apps("ReplicaSet", "replicasets", "rs"),
          apps("StatefulSet", "statefulsets", "sts"),
          new ApiResource(
              "coordination.k8s.io",
              "v1",
              "Lease",
              "leases",
              true,
              List.of(),
              "leases",
              false,
              false,
              NameRule.SUBDOMAIN),
          ROLES,
          ROLE_BINDINGS,
          CLUSTER_ROLES,
          CLUSTER_ROLE_BINDINGS);

  private static ApiResource core(
      String kind,
      String plural,
      boolean namespaced,
      String storagePath,
      boolean status,
      NameRule names,
      String... shorts) {
    return new ApiResource(
        "", "v1", kind, plural, namespaced, List.of(shorts), storagePath, status, false, names);
  }

  private static ApiResource apps(String kind, String plural, String shortName) {
    return new ApiResource(
        "apps",
        "v1",
        kind,
        plural,
        true,
        List.of(shortName),
        plural,
        true,
        true,
        NameRule.SUBDOMAIN);
  }

  private static ApiResource rbac(String kind, String plural, boolean namespaced) {
    return new ApiResource(
        "rbac.authorization.k8s.io",
        "v1",
        kind,
        plural,
        namespaced,
        List.of(),
        plural,
        false,
        false,
        NameRule.PATH_SEGMENT);
  }

  String singular() {
    return kind.toLowerCase(Locale.ROOT);
  }

  String groupVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /** {@code configmaps}, or {@code deployments.apps}: how kube-apiserver's messages name it. */
  String qualified() {
    return group.isEmpty() ? plural : plural + "." + group;
  }

  /** The URL prefix of the group version: {@code /api/v1} or {@code /apis/<group>/<version>}. */
  String prefix() {
    return group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
  }

  static Optional<ApiResource> byPlural(String groupVersionPrefix, String plural) {
    return SERVED.stream()
        .filter(r -> r.prefix().equals(groupVersionPrefix) && r.plural.equals(plural))
        .findFirst();
  }

  /** Why {@code name} is not a valid name for this resource, if it is not. */
  Optional<String> nameProblem(String name) {
    if (name.isEmpty()) {
      return Optional.of("Required value: name or generateName is required");
    }
    return switch (names) {
      case SUBDOMAIN ->
          name.length() <= 253
                  && name.matches(
                      "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")
              ? Optional.empty()
              : Optional.of(
                  "Invalid value: \""
                      + name
                      + "\": a lowercase RFC 1123 subdomain must consist of lower case"
                      + " alphanumeric characters, '-' or '.', and must start and end with an"
                      + " alphanumeric character");
      case LABEL ->
          name.length() <= 63 && name.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")
              ? Optional.empty()
              : Optional.of(
                  "Invalid value: \""
                      + name
                      + "\": a lowercase RFC 1123 label must consist of lower case alphanumeric"
                      + " characters or '-', and must start and end with an alphanumeric"
                      + " character");
      case RFC1035_LABEL ->
          name.length() <= 63 && name.matches("[a-z]([-a-z0-9]*[a-z0-9])?")
              ? Optional.empty()
              : Optional.of(
                  "Invalid value: \""
                      + name
                      + "\": a DNS-1035 label must consist of lower case alphanumeric characters"
                      + " or '-', start with an alphabetic character, and end with an"
                      + " alphanumeric character");
      case PATH_SEGMENT ->
          name.equals(".") || name.equals("..") || name.contains("/") || name.contains("%")
              ? Optional.of(
                  "Invalid value: \"" + name + "\": may not be '.' or '..', nor contain '/' or '%'")
              : Optional.empty();
    };
  }
}
