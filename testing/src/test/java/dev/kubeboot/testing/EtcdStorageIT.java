package dev.kubeboot.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two kube-apiserver stand-ins on one real etcd (Debian's, over mTLS): one cluster. What one writes
 * the other reads and watches; a restarted one has everything; create and update conflicts are
 * kube-apiserver's 409s; kubectl 1.32 creates, gets, applies, patches and deletes configmaps,
 * secrets, nodes and roles.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EtcdStorageIT {
  @TempDir static Path dir;
  static StandInCluster cluster;
  static ApiServerStandIn a;
  static ApiServerStandIn b;
  static final JsonMapper JSON = JsonMapper.builder().build();

  @BeforeAll
  static void start() throws Exception {
    cluster = StandInCluster.start(dir);
    a = cluster.apiServer();
    b = cluster.apiServer();
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static HttpResponse<String> admin(
      ApiServerStandIn server, String method, String path, String body) throws Exception {
    return StandInCluster.send(cluster.admin(), server, method, path, body, null);
  }

  static JsonNode json(HttpResponse<String> response) {
    return JSON.readTree(response.body());
  }

  static String configMap(String name, String key, String value) {
    return """
        {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"%s","namespace":"default"},\
        "data":{"%s":"%s"}}"""
        .formatted(name, key, value);
  }

  @Test
  @Order(1)
  void anObjectWrittenThroughOneApiServerIsReadThroughTheOtherAndLivesInEtcd() throws Exception {
    assertThat(cluster.kubectl(a, "create", "configmap", "shared", "--from-literal=k=v"))
        .contains("configmap/shared created");
    assertThat(cluster.kubectl(b, "get", "configmap", "shared", "-o", "jsonpath={.data.k}"))
        .isEqualTo("v");
    JsonNode viaB = json(admin(b, "GET", "/api/v1/namespaces/default/configmaps/shared", null));

    // The real etcdctl finds it where kube-apiserver keeps configmaps, resourceVersion = revision.
    String stored =
        cluster.etcdctl("get", "/registry/configmaps/default/shared", "--print-value-only");
    JsonNode value = JSON.readTree(stored);
    assertThat(value.path("data").path("k").asString()).isEqualTo("v");
    assertThat(value.path("metadata").path("uid").asString())
        .isEqualTo(viaB.path("metadata").path("uid").asString());
    assertThat(value.path("metadata").has("resourceVersion")).isFalse();
    JsonNode kv =
        JSON.readTree(cluster.etcdctl("get", "/registry/configmaps/default/shared", "-w", "json"))
            .path("kvs")
            .path(0);
    assertThat(viaB.path("metadata").path("resourceVersion").asString())
        .isEqualTo(kv.path("mod_revision").asString());
    // Nodes are "minions" in kube-apiserver's etcd layout.
    cluster.kubectl(a, "create", "-f", write("layout-node.yaml", node("layout")).toString());
    assertThat(cluster.etcdctl("get", "/registry/minions/layout", "--keys-only"))
        .contains("/registry/minions/layout");
    cluster.kubectl(a, "delete", "node", "layout");
  }

  @Test
  @Order(2)
  void aWatchOnOneApiServerSeesEveryWriteThroughTheOther() throws Exception {
    String listRv =
        json(admin(b, "GET", "/api/v1/namespaces/default/configmaps", null))
            .path("metadata")
            .path("resourceVersion")
            .asString();
    BlockingQueue<String> events = new LinkedBlockingQueue<>();
    var stream =
        cluster
            .admin()
            .sendAsync(
                HttpRequest.newBuilder(
                        StandInCluster.base(b)
                            .resolve(
                                "/api/v1/namespaces/default/configmaps?watch=true&resourceVersion="
                                    + listRv))
                    .build(),
                HttpResponse.BodyHandlers.ofLines())
            .get(10, TimeUnit.SECONDS);
    assertThat(stream.statusCode()).isEqualTo(200);
    Thread reader = Thread.ofVirtual().start(() -> stream.body().forEach(events::add));
    try {
      String created =
          json(admin(a, "POST", "/api/v1/namespaces/default/configmaps", configMap("w1", "a", "1")))
              .path("metadata")
              .path("resourceVersion")
              .asString();
      HttpResponse<String> patched =
          StandInCluster.send(
              cluster.admin(),
              a,
              "PATCH",
              "/api/v1/namespaces/default/configmaps/w1",
              "application/merge-patch+json",
              "{\"data\":{\"a\":\"2\"}}",
              null);
      assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
      assertThat(admin(a, "DELETE", "/api/v1/namespaces/default/configmaps/w1", null).statusCode())
          .isEqualTo(200);
      List<JsonNode> seen = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        String line = events.poll(10, TimeUnit.SECONDS);
        assertThat(line).as("event %d of 3 on the other API server's watch", i + 1).isNotNull();
        seen.add(JSON.readTree(line));
      }
      assertThat(seen.stream().map(e -> e.path("type").asString()))
          .containsExactly("ADDED", "MODIFIED", "DELETED");
      assertThat(seen.get(0).path("object").path("metadata").path("resourceVersion").asString())
          .isEqualTo(created);
      assertThat(seen.get(1).path("object").path("data").path("a").asString()).isEqualTo("2");
      List<Long> rvs =
          seen.stream()
              .map(
                  e ->
                      Long.parseLong(
                          e.path("object").path("metadata").path("resourceVersion").asString()))
              .toList();
      assertThat(rvs).isSorted().doesNotHaveDuplicates();

      // A watch from an older resourceVersion replays the history from etcd.
      var replay =
          admin(
              b,
              "GET",
              "/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=2&resourceVersion="
                  + listRv,
              null);
      assertThat(replay.body().lines().map(l -> JSON.readTree(l).path("type").asString()))
          .containsExactly("ADDED", "MODIFIED", "DELETED");
    } finally {
      stream.body().close();
      reader.interrupt();
    }
  }

  @Test
  @Order(3)
  void aFabric8WebSocketWatchOnOneApiServerSeesWritesThroughTheOther() throws Exception {
    Config config = Config.fromKubeconfig(null, cluster.adminKubeconfig(b).toFile());
    BlockingQueue<String> events = new LinkedBlockingQueue<>();
    try (KubernetesClient viaB = new KubernetesClientBuilder().withConfig(config).build();
        KubernetesClient viaA =
            new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(null, cluster.adminKubeconfig(a).toFile()))
                .build();
        Watch watch =
            viaB.configMaps()
                .inNamespace("default")
                .withName("ws")
                .watch(
                    new Watcher<>() {
                      @Override
                      public void eventReceived(Action action, ConfigMap resource) {
                        events.add(action + " " + resource.getData());
                      }

                      @Override
                      public void onClose(WatcherException cause) {}
                    })) {
      viaA.configMaps()
          .inNamespace("default")
          .resource(
              new ConfigMapBuilder()
                  .withNewMetadata()
                  .withName("ws")
                  .endMetadata()
                  .addToData("x", "1")
                  .build())
          .create();
      viaA.configMaps().inNamespace("default").withName("ws").delete();
      assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("ADDED {x=1}");
      assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("DELETED {x=1}");
    }
  }

  @Test
  @Order(4)
  void creatingAnExistingObjectIs409AlreadyExistsOnEitherApiServer() throws Exception {
    assertThat(
            admin(a, "POST", "/api/v1/namespaces/default/configmaps", configMap("dup", "a", "1"))
                .statusCode())
        .isEqualTo(201);
    HttpResponse<String> again =
        admin(b, "POST", "/api/v1/namespaces/default/configmaps", configMap("dup", "a", "2"));
    assertThat(again.statusCode()).isEqualTo(409);
    JsonNode status = json(again);
    assertThat(status.path("reason").asString()).isEqualTo("AlreadyExists");
    assertThat(status.path("message").asString()).isEqualTo("configmaps \"dup\" already exists");
    assertThat(status.path("details").path("name").asString()).isEqualTo("dup");
    assertThat(status.path("details").path("kind").asString()).isEqualTo("configmaps");
    StandInCluster.Result kubectl =
        cluster.kubectl(
            List.of(
                "--kubeconfig=" + cluster.adminKubeconfig(b),
                "create",
                "configmap",
                "dup",
                "--from-literal=a=3"));
    assertThat(kubectl.code()).isEqualTo(1);
    assertThat(kubectl.out())
        .contains("error: failed to create configmap: configmaps \"dup\" already exists");
    Path manifest =
        write(
            "dup.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: dup, namespace: default}\n");
    StandInCluster.Result fromFile =
        cluster.kubectl(
            List.of(
                "--kubeconfig=" + cluster.adminKubeconfig(a), "create", "-f", manifest.toString()));
    assertThat(fromFile.code()).isEqualTo(1);
    assertThat(fromFile.out())
        .contains("Error from server (AlreadyExists): error when creating")
        .contains("configmaps \"dup\" already exists");
    // The loser wrote nothing.
    assertThat(cluster.kubectl(a, "get", "configmap", "dup", "-o", "jsonpath={.data.a}"))
        .isEqualTo("1");
  }

  @Test
  @Order(5)
  void aStaleResourceVersionIs409ConflictAndPreconditionsHold() throws Exception {
    String path = "/api/v1/namespaces/default/configmaps/dup";
    JsonNode read = json(admin(a, "GET", path, null));
    String rv1 = read.path("metadata").path("resourceVersion").asString();
    String uid = read.path("metadata").path("uid").asString();
    String withRv1 = updated("dup", rv1, "2");
    HttpResponse<String> first = admin(a, "PUT", path, withRv1);
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    String rv2 = json(first).path("metadata").path("resourceVersion").asString();
    assertThat(Long.parseLong(rv2)).isGreaterThan(Long.parseLong(rv1));

    HttpResponse<String> stale = admin(b, "PUT", path, updated("dup", rv1, "3"));
    assertThat(stale.statusCode()).isEqualTo(409);
    assertThat(json(stale).path("reason").asString()).isEqualTo("Conflict");
    assertThat(json(stale).path("message").asString())
        .isEqualTo(
            "Operation cannot be fulfilled on configmaps \"dup\": the object has been modified;"
                + " please apply your changes to the latest version and try again");
    HttpResponse<String> stalePatch =
        StandInCluster.send(
            cluster.admin(),
            b,
            "PATCH",
            path,
            "application/merge-patch+json",
            "{\"metadata\":{\"resourceVersion\":\"" + rv1 + "\"},\"data\":{\"a\":\"4\"}}",
            null);
    assertThat(stalePatch.statusCode()).isEqualTo(409);
    assertThat(cluster.kubectl(a, "get", "configmap", "dup", "-o", "jsonpath={.data.a}"))
        .isEqualTo("2");

    // Without a resourceVersion an update is unconditional; an unchanged one writes nothing.
    HttpResponse<String> unconditional = admin(b, "PUT", path, updated("dup", "", "5"));
    assertThat(unconditional.statusCode()).isEqualTo(200);
    String rv3 = json(unconditional).path("metadata").path("resourceVersion").asString();
    HttpResponse<String> same = admin(a, "PUT", path, updated("dup", "", "5"));
    assertThat(json(same).path("metadata").path("resourceVersion").asString()).isEqualTo(rv3);

    HttpResponse<String> wrongUid =
        admin(
            a,
            "DELETE",
            path,
            "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"preconditions\":{\"uid\":\"x\"}}");
    assertThat(wrongUid.statusCode()).isEqualTo(409);
    assertThat(json(wrongUid).path("message").asString())
        .contains("Precondition failed: UID in precondition: x, UID in object meta: " + uid);
    HttpResponse<String> rightUid =
        admin(
            b,
            "DELETE",
            path,
            "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"preconditions\":{\"uid\":\""
                + uid
                + "\"}}");
    assertThat(rightUid.statusCode()).isEqualTo(200);
    assertThat(admin(a, "GET", path, null).statusCode()).isEqualTo(404);
  }

  private static String updated(String name, String resourceVersion, String value) {
    return """
        {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"%s","namespace":"default"%s},\
        "data":{"a":"%s"}}"""
        .formatted(
            name,
            resourceVersion.isEmpty() ? "" : ",\"resourceVersion\":\"" + resourceVersion + "\"",
            value);
  }

  @Test
  @Order(6)
  void kubectlCreatesGetsAppliesPatchesAndDeletesConfigMapsAndSecrets() throws Exception {
    Path cm =
        write(
            "cm.yaml",
            """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings, namespace: kube-system}
            data: {mode: a, keep: "yes"}
            """);
    assertThat(cluster.kubectl(a, "apply", "-f", cm.toString()))
        .contains("configmap/settings created");
    Path changed =
        write(
            "cm2.yaml",
            """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings, namespace: kube-system}
            data: {mode: b}
            """);
    assertThat(cluster.kubectl(b, "apply", "-f", changed.toString()))
        .contains("configmap/settings configured");
    assertThat(cluster.kubectl(a, "get", "cm", "settings", "-n", "kube-system", "-o", "json"))
        .contains("\"mode\": \"b\"")
        .doesNotContain("\"keep\"");
    assertThat(cluster.kubectl(b, "apply", "-f", changed.toString()))
        .contains("configmap/settings unchanged");
    cluster.kubectl(
        a,
        "patch",
        "cm",
        "settings",
        "-n",
        "kube-system",
        "--type=merge",
        "-p",
        "{\"data\":{\"extra\":\"1\"}}");
    assertThat(cluster.kubectl(b, "get", "cm", "-n", "kube-system"))
        .containsPattern("(?m)^NAME\\s+CREATED AT")
        .containsPattern("(?m)^settings\\s+");
    assertThat(
            cluster.kubectl(
                b, "get", "cm", "settings", "-n", "kube-system", "-o", "jsonpath={.data.extra}"))
        .isEqualTo("1");
    assertThat(cluster.kubectl(a, "delete", "cm", "settings", "-n", "kube-system"))
        .contains("configmap \"settings\" deleted");

    assertThat(
            cluster.kubectl(
                a,
                "create",
                "secret",
                "generic",
                "creds",
                "-n",
                "kube-system",
                "--from-literal=password=s3cret"))
        .contains("secret/creds created");
    assertThat(
            cluster.kubectl(
                b,
                "get",
                "secret",
                "creds",
                "-n",
                "kube-system",
                "-o",
                "jsonpath={.type} {.data.password}"))
        .isEqualTo("Opaque czNjcmV0");
    Path token =
        write(
            "token.yaml",
            """
            apiVersion: v1
            kind: Secret
            metadata: {name: bootstrap-token-abcdef, namespace: kube-system}
            type: bootstrap.kubernetes.io/token
            stringData:
              token-id: abcdef
              token-secret: 0123456789abcdef
              usage-bootstrap-authentication: "true"
            """);
    cluster.kubectl(a, "apply", "-f", token.toString());
    assertThat(
            cluster.kubectl(
                b,
                "get",
                "secrets",
                "-n",
                "kube-system",
                "--field-selector=type=bootstrap.kubernetes.io/token",
                "-o",
                "jsonpath={.items[*].metadata.name} {.items[0].data.token-id}"))
        .isEqualTo("bootstrap-token-abcdef YWJjZGVm");
    cluster.kubectl(
        b,
        "patch",
        "secret",
        "creds",
        "-n",
        "kube-system",
        "--type=json",
        "-p",
        "[{\"op\":\"add\",\"path\":\"/data/user\",\"value\":\"YWRtaW4=\"}]");
    assertThat(
            cluster.kubectl(
                a, "get", "secret", "creds", "-n", "kube-system", "-o", "jsonpath={.data.user}"))
        .isEqualTo("YWRtaW4=");
    cluster.kubectl(b, "delete", "secret", "creds", "bootstrap-token-abcdef", "-n", "kube-system");
    assertThat(cluster.kubectl(a, "get", "secrets", "-n", "kube-system"))
        .contains("No resources found");
  }

  @Test
  @Order(7)
  void kubectlLabelsTaintsAndPatchesANode() throws Exception {
    assertThat(cluster.kubectl(a, "apply", "-f", write("node.yaml", node("cp-1")).toString()))
        .contains("node/cp-1 created");
    assertThat(
            cluster.kubectl(b, "label", "node", "cp-1", "node-role.kubernetes.io/control-plane="))
        .contains("node/cp-1 labeled");
    assertThat(
            cluster.kubectl(
                a, "taint", "node", "cp-1", "node-role.kubernetes.io/control-plane:NoSchedule"))
        .contains("node/cp-1 tainted");
    cluster.kubectl(
        b,
        "patch",
        "node",
        "cp-1",
        "-p",
        "{\"metadata\":{\"labels\":{\"node.kubernetes.io/exclude-from-external-load-balancers\":\"\"}}}");
    cluster.kubectl(
        a,
        "patch",
        "node",
        "cp-1",
        "--type=merge",
        "-p",
        "{\"spec\":{\"taints\":[{\"key\":\"node-role.kubernetes.io/control-plane\","
            + "\"effect\":\"NoSchedule\"},{\"key\":\"dedicated\",\"value\":\"etcd\","
            + "\"effect\":\"NoExecute\"}]}}");
    JsonNode node = JSON.readTree(cluster.kubectl(b, "get", "node", "cp-1", "-o", "json"));
    assertThat(node.path("metadata").path("labels").propertyNames())
        .contains(
            "kubernetes.io/hostname",
            "node-role.kubernetes.io/control-plane",
            "node.kubernetes.io/exclude-from-external-load-balancers");
    assertThat(node.path("spec").path("taints").size()).isEqualTo(2);
    assertThat(node.path("spec").path("taints").path(1).path("value").asString()).isEqualTo("etcd");
    assertThat(cluster.kubectl(a, "get", "nodes"))
        .containsPattern("cp-1\\s+Unknown\\s+control-plane");
    assertThat(cluster.kubectl(b, "taint", "node", "cp-1", "dedicated-"))
        .contains("node/cp-1 untainted");
    assertThat(cluster.kubectl(a, "get", "node", "cp-1", "-o", "jsonpath={.spec.taints[*].key}"))
        .isEqualTo("node-role.kubernetes.io/control-plane");
    assertThat(cluster.kubectl(b, "delete", "node", "cp-1")).contains("node \"cp-1\" deleted");
  }

  @Test
  @Order(8)
  void kubectlCreatesAppliesAndDeletesRoles() throws Exception {
    assertThat(
            cluster.kubectl(
                a,
                "create",
                "role",
                "kubeadm:nodes-kubeadm-config",
                "-n",
                "kube-system",
                "--verb=get",
                "--resource=configmaps",
                "--resource-name=kubeadm-config"))
        .contains("role.rbac.authorization.k8s.io/kubeadm:nodes-kubeadm-config created");
    Path binding =
        write(
            "rb.yaml",
            """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: "kubeadm:nodes-kubeadm-config", namespace: kube-system}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: "kubeadm:nodes-kubeadm-config"}
            subjects:
            - {apiGroup: rbac.authorization.k8s.io, kind: Group, name: "system:bootstrappers:kubeadm:default-node-token"}
            - {apiGroup: rbac.authorization.k8s.io, kind: Group, name: "system:nodes"}
            """);
    assertThat(cluster.kubectl(b, "apply", "-f", binding.toString()))
        .contains("rolebinding.rbac.authorization.k8s.io/kubeadm:nodes-kubeadm-config created");
    assertThat(cluster.kubectl(a, "get", "roles,rolebindings", "-n", "kube-system"))
        .contains("kubeadm:nodes-kubeadm-config");
    assertThat(
            cluster.kubectl(
                b,
                "get",
                "rolebinding",
                "kubeadm:nodes-kubeadm-config",
                "-n",
                "kube-system",
                "-o",
                "jsonpath={.subjects[*].name}"))
        .isEqualTo("system:bootstrappers:kubeadm:default-node-token system:nodes");
    // The API server's own bootstrap policy is there.
    assertThat(cluster.kubectl(a, "get", "clusterroles"))
        .contains("cluster-admin", "system:node-bootstrapper", "system:public-info-viewer");
    assertThat(cluster.kubectl(b, "delete", "-f", binding.toString())).contains("deleted");
    assertThat(
            cluster.kubectl(
                a, "delete", "role", "kubeadm:nodes-kubeadm-config", "-n", "kube-system"))
        .contains("deleted");
  }

  @Test
  @Order(9)
  void kubectlsTypedCreateCommandsSendProtobufAndItIsRead() throws Exception {
    cluster.kubectl(a, "create", "namespace", "typed");
    cluster.kubectl(a, "create", "serviceaccount", "robot", "-n", "typed");
    cluster.kubectl(
        a, "create", "clusterrole", "typed-reader", "--verb=get,list", "--resource=nodes");
    cluster.kubectl(
        a,
        "create",
        "clusterrolebinding",
        "typed-reader",
        "--clusterrole=typed-reader",
        "--group=system:bootstrappers");
    cluster.kubectl(
        a,
        "create",
        "rolebinding",
        "typed-binding",
        "-n",
        "typed",
        "--clusterrole=typed-reader",
        "--serviceaccount=typed:robot",
        "--user=someone");
    cluster.kubectl(a, "create", "service", "clusterip", "web", "-n", "typed", "--tcp=80:8080");
    cluster.kubectl(
        a,
        "create",
        "secret",
        "generic",
        "s",
        "-n",
        "typed",
        "--type=bootstrap.kubernetes.io/token",
        "--from-literal=token-id=abcdef");
    cluster.kubectl(
        a, "create", "configmap", "c", "-n", "typed", "--from-literal=k=v", "--from-literal=e=");
    assertThat(cluster.kubectl(b, "get", "namespace", "typed", "-o", "jsonpath={.status.phase}"))
        .isEqualTo("Active");
    assertThat(
            cluster.kubectl(
                b, "get", "sa", "robot", "-n", "typed", "-o", "jsonpath={.metadata.namespace}"))
        .isEqualTo("typed");
    JsonNode role =
        JSON.readTree(cluster.kubectl(b, "get", "clusterrole", "typed-reader", "-o", "json"));
    assertThat(role.path("rules").path(0).path("verbs").toString()).isEqualTo("[\"get\",\"list\"]");
    assertThat(role.path("rules").path(0).path("resources").toString()).isEqualTo("[\"nodes\"]");
    JsonNode crb =
        JSON.readTree(
            cluster.kubectl(b, "get", "clusterrolebinding", "typed-reader", "-o", "json"));
    assertThat(crb.path("roleRef").path("name").asString()).isEqualTo("typed-reader");
    assertThat(crb.path("subjects").path(0).path("name").asString())
        .isEqualTo("system:bootstrappers");
    JsonNode rb =
        JSON.readTree(
            cluster.kubectl(b, "get", "rolebinding", "typed-binding", "-n", "typed", "-o", "json"));
    assertThat(rb.path("subjects").findValuesAsString("kind")).contains("ServiceAccount", "User");
    assertThat(rb.path("subjects").findValuesAsString("namespace")).contains("typed");
    JsonNode svc =
        JSON.readTree(cluster.kubectl(b, "get", "service", "web", "-n", "typed", "-o", "json"));
    assertThat(svc.path("spec").path("ports").path(0).path("port").asInt()).isEqualTo(80);
    assertThat(svc.path("spec").path("ports").path(0).path("targetPort").asInt()).isEqualTo(8080);
    assertThat(svc.path("spec").path("type").asString()).isEqualTo("ClusterIP");
    assertThat(
            cluster.kubectl(
                b, "get", "secret", "s", "-n", "typed", "-o", "jsonpath={.type} {.data.token-id}"))
        .isEqualTo("bootstrap.kubernetes.io/token YWJjZGVm");
    assertThat(cluster.kubectl(b, "get", "configmap", "c", "-n", "typed", "-o", "json"))
        .contains("\"k\": \"v\"", "\"e\": \"\"");
    // Kinds the protobuf reader does not know are refused with a clear hint.
    StandInCluster.Result deployment =
        cluster.kubectl(
            List.of(
                "--kubeconfig=" + cluster.adminKubeconfig(a),
                "create",
                "deployment",
                "d",
                "-n",
                "typed",
                "--image=registry.k8s.io/pause:3.10"));
    assertThat(deployment.code()).isEqualTo(1);
    assertThat(deployment.out()).contains("send JSON (kubectl create -f / apply -f)");
    cluster.kubectl(a, "delete", "namespace", "typed");
    cluster.kubectl(a, "delete", "clusterrolebinding,clusterrole", "typed-reader");
  }

  @Test
  @Order(10)
  void namespacesLiveAndTheSystemOnesCannotBeDeleted() throws Exception {
    StandInCluster.Result missing =
        cluster.kubectl(
            List.of(
                "--kubeconfig=" + cluster.adminKubeconfig(a),
                "create",
                "configmap",
                "x",
                "-n",
                "nowhere"));
    assertThat(missing.out()).contains("namespaces \"nowhere\" not found");
    StandInCluster.Result system =
        cluster.kubectl(
            List.of(
                "--kubeconfig=" + cluster.adminKubeconfig(b),
                "delete",
                "namespace",
                "kube-system"));
    assertThat(system.code()).isEqualTo(1);
    assertThat(system.out()).contains("this namespace may not be deleted");
    cluster.kubectl(a, "create", "namespace", "scratch");
    cluster.kubectl(b, "create", "configmap", "c", "-n", "scratch");
    cluster.kubectl(a, "delete", "namespace", "scratch");
    assertThat(cluster.etcdctl("get", "/registry/configmaps/scratch/", "--prefix", "--keys-only"))
        .isBlank();
  }

  @Test
  @Order(11)
  void aRestartedApiServerHasEveryObject() throws Exception {
    JsonNode before = json(admin(a, "GET", "/api/v1/namespaces/default/configmaps/shared", null));
    cluster.stop(a);
    cluster.stop(b);
    a = cluster.apiServer();
    JsonNode after = json(admin(a, "GET", "/api/v1/namespaces/default/configmaps/shared", null));
    assertThat(after).isEqualTo(before);
    assertThat(cluster.kubectl(a, "get", "namespaces"))
        .contains("default", "kube-system", "kube-public", "kube-node-lease");
  }

  private static String node(String name) {
    return """
        apiVersion: v1
        kind: Node
        metadata:
          name: %s
          labels: {kubernetes.io/hostname: %s}
        """
        .formatted(name, name);
  }

  private static Path write(String name, String content) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, content);
    return file;
  }
}
