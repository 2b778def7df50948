package dev.kubeboot.testing;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * What kube-apiserver writes into a new cluster by itself, as its post-start hooks do: the system
 * namespaces (default, kube-system, kube-public, kube-node-lease) and the part of the RBAC
 * bootstrap policy that concerns clients other than certificate users (cluster-admin,
 * system:discovery, system:basic-user, system:public-info-viewer with their bindings, and the
 * ClusterRoles kubeadm binds for bootstrap tokens: system:node-bootstrapper and the two
 * certificatesigningrequests ones). Each object is created only if absent, so several API servers
 * on one etcd, and restarts, leave them as they are. Runs in the background, retrying while etcd is
 * unreachable; {@code /livez} and {@code /readyz} report it as kube-apiserver's hooks.
 */
final class BootstrapObjects {
  private static final Logger log = LoggerFactory.getLogger(BootstrapObjects.class);
  static final Duration RETRY = Duration.ofSeconds(1);
  static final List<String> NAMESPACES =
      List.of("default", "kube-system", "kube-public", "kube-node-lease");

  private static final String LABELS =
      "\"labels\":{\"kubernetes.io/bootstrapping\":\"rbac-defaults\"},"
          + "\"annotations\":{\"rbac.authorization.kubernetes.io/autoupdate\":\"true\"}";

  private static final List<String> CLUSTER_ROLES =
      List.of(
          role(
              "cluster-admin",
              "{\"apiGroups\":[\"*\"],\"resources\":[\"*\"],\"verbs\":[\"*\"]},"
                  + "{\"nonResourceURLs\":[\"*\"],\"verbs\":[\"*\"]}"),
          role(
              "system:discovery",
              "{\"nonResourceURLs\":[\"/api\",\"/api/*\",\"/apis\",\"/apis/*\",\"/healthz\","
                  + "\"/livez\",\"/openapi\",\"/openapi/*\",\"/readyz\",\"/version\","
                  + "\"/version/\"],\"verbs\":[\"get\"]}"),
          role(
              "system:basic-user",
              "{\"apiGroups\":[\"authorization.k8s.io\"],\"resources\":"
                  + "[\"selfsubjectaccessreviews\",\"selfsubjectrulesreviews\"],"
                  + "\"verbs\":[\"create\"]},{\"apiGroups\":[\"authentication.k8s.io\"],"
                  + "\"resources\":[\"selfsubjectreviews\"],\"verbs\":[\"create\"]}"),
          role(
              "system:public-info-viewer",
              "{\"nonResourceURLs\":[\"/healthz\",\"/livez\",\"/readyz\",\"/version\","
                  + "\"/version/\"],\"verbs\":[\"get\"]}"),
          role(
              "system:node-bootstrapper",
              "{\"apiGroups\":[\"certificates.k8s.io\"],\"resources\":"
                  + "[\"certificatesigningrequests\"],\"verbs\":[\"create\",\"get\",\"list\","
                  + "\"watch\"]}"),
          role(
              "system:certificates.k8s.io:certificatesigningrequests:nodeclient",
              "{\"apiGroups\":[\"certificates.k8s.io\"],\"resources\":"
                  + "[\"certificatesigningrequests/nodeclient\"],\"verbs\":[\"create\"]}"),
          role(
              "system:certificates.k8s.io:certificatesigningrequests:selfnodeclient",
              "{\"apiGroups\":[\"certificates.k8s.io\"],\"resources\":"
                  + "[\"certificatesigningrequests/selfnodeclient\"],\"verbs\":[\"create\"]}"));

  private static final List<String> CLUSTER_ROLE_BINDINGS =
      List.of(
          binding("cluster-admin", "system:masters"),
          binding("system:discovery", "system:authenticated"),
          binding("system:basic-user", "system:authenticated"),
          binding("system:public-info-viewer", "system:authenticated", "system:unauthenticated"));

  private final ObjectStore store;
  private final JsonMapper json;
  private final AtomicBoolean namespacesDone = new AtomicBoolean();
  private final AtomicBoolean rolesDone = new AtomicBoolean();
  private volatile boolean closed;

  BootstrapObjects(ObjectStore store, JsonMapper json) {
    this.store = store;
    this.json = json;
  }

  /** Starts writing in the background; returns at once. */
  void start() {
    Thread.ofVirtual().name("bootstrap-objects").start(this::run);
  }

  void close() {
    closed = true;
  }

  CheckResult namespacesCheck() {
    return namespacesDone.get()
        ? CheckResult.ok()
        : CheckResult.failed("not finished: the system namespaces are not in etcd yet");
  }

  CheckResult rolesCheck() {
    return rolesDone.get()
        ? CheckResult.ok()
        : CheckResult.failed("not finished: the bootstrap RBAC policy is not in etcd yet");
  }

  private void run() {
    String lastProblem = "";
    while (!closed) {
      try {
        ensure();
        log.info("system namespaces {} and the bootstrap RBAC policy are in etcd", NAMESPACES);
        return;
      } catch (EtcdKv.UnavailableException | ApiException e) {
        if (!e.getMessage().equals(lastProblem)) {
          log.info(
              "writing the system namespaces and RBAC policy waits for etcd: {}", e.getMessage());
          lastProblem = e.getMessage();
        }
      }
      try {
        Thread.sleep(RETRY);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Writes what is missing. */
  void ensure() {
    for (String namespace : NAMESPACES) {
      ObjectNode object = json.createObjectNode().put("apiVersion", "v1").put("kind", "Namespace");
      object.putObject("metadata").put("name", namespace);
      store.createIfAbsent(ApiResource.NAMESPACES, object);
    }
    namespacesDone.set(true);
    for (String role : CLUSTER_ROLES) {
      store.createIfAbsent(ApiResource.CLUSTER_ROLES, (ObjectNode) json.readTree(role));
    }
    for (String binding : CLUSTER_ROLE_BINDINGS) {
      store.createIfAbsent(ApiResource.CLUSTER_ROLE_BINDINGS, (ObjectNode) json.readTree(binding));
    }
    rolesDone.set(true);
  }

  private static String role(String name, String rules) {
    return "{\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"kind\":\"ClusterRole\","
        + "\"metadata\":{\"name\":"
        + StatusJson.quote(name)
        + ","
        + LABELS
        + "},\"rules\":["
        + rules
        + "]}";
  }

  private static String binding(String name, String... groups) {
    StringBuilder subjects = new StringBuilder();
    for (String group : groups) {
      if (!subjects.isEmpty()) {
        subjects.append(',');
      }
      subjects
          .append("{\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":\"Group\",\"name\":")
          .append(StatusJson.quote(group))
          .append('}');
    }
    return "{\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"kind\":\"ClusterRoleBinding\","
        + "\"metadata\":{\"name\":"
        + StatusJson.quote(name)
        + ","
        + LABELS
        + "},\"roleRef\":{\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":\"ClusterRole\","
        + "\"name\":"
        + StatusJson.quote(name)
        + "},\"subjects\":["
        + subjects
        + "]}";
  }
}
