package dev.kubeboot.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * The join-side of bootstrap tokens against the stand-ins on real etcd: anonymous callers read
 * kube-public/cluster-info only once the RBAC objects kubeadm creates allow it; the
 * controller-manager stand-in signs cluster-info with each signing token (checked by an independent
 * verifier, Debian's python3 with hmac) and drops signatures of tokens that go; the token cleaner
 * deletes an expired token; a bootstrap token authenticates as system:bootstrap:&lt;id&gt; and gets
 * what RBAC grants its groups, nothing else.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BootstrapTokensIT {
  @TempDir static Path dir;
  static StandInCluster cluster;
  static ApiServerStandIn api;
  static final JsonMapper JSON = JsonMapper.builder().build();
  static final String CLUSTER_INFO = "/api/v1/namespaces/kube-public/configmaps/cluster-info";
  static final String KUBECONFIG =
      """
      apiVersion: v1
      clusters:
      - cluster:
          certificate-authority-data: LS0tLS1CRUdJTi0tLS0tCg==
          server: https://10.0.0.1:6443
        name: ""
      contexts: null
      current-context: ""
      kind: Config
      preferences: {}
      users: null
      """;

  @BeforeAll
  static void start() throws Exception {
    cluster = StandInCluster.start(dir);
    api = cluster.apiServer();
    cluster.controllerManager(api);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static HttpResponse<String> admin(String method, String path, String body) throws Exception {
    return StandInCluster.send(cluster.admin(), api, method, path, body, null);
  }

  static HttpResponse<String> anonymous(String path) throws Exception {
    return StandInCluster.send(cluster.anonymous(), api, "GET", path, null, null);
  }

  static HttpResponse<String> withToken(String token, String path) throws Exception {
    return StandInCluster.send(cluster.anonymous(), api, "GET", path, null, token);
  }

  static String tokenSecret(
      String id, String secret, Instant expiration, boolean signing, boolean authentication) {
    Map<String, String> data =
        new java.util.TreeMap<>(
            Map.of(
                "token-id",
                id,
                "token-secret",
                secret,
                "expiration",
                expiration.truncatedTo(ChronoUnit.SECONDS).toString(),
                "auth-extra-groups",
                "system:bootstrappers:kubeadm:default-node-token"));
    if (signing) {
      data.put("usage-bootstrap-signing", "true");
    }
    if (authentication) {
      data.put("usage-bootstrap-authentication", "true");
    }
    var secretJson = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Secret");
    secretJson
        .putObject("metadata")
        .put("name", "bootstrap-token-" + id)
        .put("namespace", "kube-system");
    secretJson.put("type", "bootstrap.kubernetes.io/token");
    var encoded = secretJson.putObject("data");
    data.forEach(
        (k, v) ->
            encoded.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    return secretJson.toString();
  }

  static void createToken(
      String id, String secret, Instant expiration, boolean signing, boolean authentication)
      throws Exception {
    HttpResponse<String> created =
        admin(
            "POST",
            "/api/v1/namespaces/kube-system/secrets",
            tokenSecret(id, secret, expiration, signing, authentication));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
  }

  /** cluster-info as a joining node reads it: anonymously. */
  static JsonNode clusterInfo() throws Exception {
    HttpResponse<String> response = anonymous(CLUSTER_INFO);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  static JsonNode awaitClusterInfo(String what, java.util.function.Predicate<JsonNode> condition)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = clusterInfo();
      if (condition.test(last)) {
        return last;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("timed out waiting for " + what + "; cluster-info: " + last);
  }

  static String verifyWithPython(JsonNode configMap, String id, String secret) throws Exception {
    PythonJws.Verdict verdict = PythonJws.verify(dir, configMap.toString(), id, secret);
    assertThat(verdict.valid()).as(verdict.output()).isTrue();
    return verdict.output();
  }

  @Test
  @Order(1)
  void anonymousReadsClusterInfoOnlyOnceKubeadmsRoleAllowsIt() throws Exception {
    var configMap = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "ConfigMap");
    configMap.putObject("metadata").put("name", "cluster-info").put("namespace", "kube-public");
    configMap.putObject("data").put("kubeconfig", KUBECONFIG);
    assertThat(
            admin("POST", "/api/v1/namespaces/kube-public/configmaps", configMap.toString())
                .statusCode())
        .isEqualTo(201);
    HttpResponse<String> before = anonymous(CLUSTER_INFO);
    assertThat(before.statusCode()).isEqualTo(403);
    assertThat(JSON.readTree(before.body()).path("message").asString())
        .isEqualTo(
            "configmaps \"cluster-info\" is forbidden: User \"system:anonymous\" cannot get"
                + " resource \"configmaps\" in API group \"\" in the namespace \"kube-public\"");

    Path rbac = dir.resolve("cluster-info-rbac.yaml");
    Files.writeString(
        rbac,
        """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: "kubeadm:bootstrap-signer-clusterinfo", namespace: kube-public}
        rules:
        - {apiGroups: [""], resources: [configmaps], resourceNames: [cluster-info], verbs: [get]}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: "kubeadm:bootstrap-signer-clusterinfo", namespace: kube-public}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: "kubeadm:bootstrap-signer-clusterinfo"}
        subjects:
        - {apiGroup: rbac.authorization.k8s.io, kind: User, name: "system:anonymous"}
        """);
    cluster.kubectl(api, "apply", "-f", rbac.toString());
    assertThat(clusterInfo().path("data").path("kubeconfig").asString()).isEqualTo(KUBECONFIG);

    // Only that one object, only get.
    var other = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "ConfigMap");
    other.putObject("metadata").put("name", "other").put("namespace", "kube-public");
    admin("POST", "/api/v1/namespaces/kube-public/configmaps", other.toString());
    assertThat(anonymous("/api/v1/namespaces/kube-public/configmaps/other").statusCode())
        .isEqualTo(403);
    assertThat(anonymous("/api/v1/namespaces/kube-public/configmaps").statusCode()).isEqualTo(403);
    assertThat(anonymous("/api/v1/namespaces/kube-system/configmaps/cluster-info").statusCode())
        .isEqualTo(403);
    assertThat(
            StandInCluster.send(cluster.anonymous(), api, "DELETE", CLUSTER_INFO, null, null)
                .statusCode())
        .isEqualTo(403);
    assertThat(anonymous("/version").statusCode()).isEqualTo(200);
  }

  @Test
  @Order(2)
  void theSignerSignsClusterInfoWithEachSigningTokenAndPythonVerifiesIt() throws Exception {
    Instant tomorrow = Instant.now().plus(Duration.ofDays(1));
    createToken("abcdef", "0123456789abcdef", tomorrow, true, true);
    createToken("nosign", "0123456789abcdef", tomorrow, false, true);
    JsonNode signed =
        awaitClusterInfo(
            "the signature of token abcdef", c -> c.path("data").has("jws-kubeconfig-abcdef"));
    assertThat(verifyWithPython(signed, "abcdef", "0123456789abcdef"))
        .contains("valid JWS for token abcdef");
    assertThat(signed.path("data").has("jws-kubeconfig-nosign"))
        .as("a token without usage-bootstrap-signing does not sign")
        .isFalse();
    // A signature that verifies with another secret would prove nothing: it does not.
    assertThat(PythonJws.verify(dir, signed.toString(), "abcdef", "x").valid()).isFalse();

    // The kubeconfig changes: the signature follows.
    String before = signed.path("data").path("jws-kubeconfig-abcdef").asString();
    String changed = KUBECONFIG.replace("10.0.0.1", "10.0.0.2");
    HttpResponse<String> patched =
        StandInCluster.send(
            cluster.admin(),
            api,
            "PATCH",
            CLUSTER_INFO,
            "application/merge-patch+json",
            JSON.createObjectNode()
                .set("data", JSON.createObjectNode().put("kubeconfig", changed))
                .toString(),
            null);
    assertThat(patched.statusCode()).isEqualTo(200);
    JsonNode resigned =
        awaitClusterInfo(
            "a new signature",
            c ->
                !c.path("data").path("jws-kubeconfig-abcdef").asString().equals(before)
                    && c.path("data").path("kubeconfig").asString().equals(changed));
    verifyWithPython(resigned, "abcdef", "0123456789abcdef");
  }

  @Test
  @Order(3)
  void aBootstrapTokenAuthenticatesAndGetsExactlyWhatRbacGrantsItsGroups() throws Exception {
    String token = "abcdef.0123456789abcdef";
    Path objects = dir.resolve("kubeadm-config.yaml");
    Files.writeString(
        objects,
        """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: kubeadm-config, namespace: kube-system}
        data: {ClusterConfiguration: "kind: ClusterConfiguration\\n"}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: kubeadm-certs, namespace: kube-system}
        data: {ca.key: c2VjcmV0}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: "kubeadm:nodes-kubeadm-config", namespace: kube-system}
        rules:
        - {apiGroups: [""], resources: [configmaps], resourceNames: [kubeadm-config], verbs: [get]}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: "kubeadm:nodes-kubeadm-config", namespace: kube-system}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: "kubeadm:nodes-kubeadm-config"}
        subjects:
        - {apiGroup: rbac.authorization.k8s.io, kind: Group, name: "system:bootstrappers:kubeadm:default-node-token"}
        - {apiGroup: rbac.authorization.k8s.io, kind: Group, name: "system:nodes"}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: "kubeadm:get-nodes"}
        rules:
        - {apiGroups: [""], resources: [nodes], verbs: [get]}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: "kubeadm:get-nodes"}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "kubeadm:get-nodes"}
        subjects:
        - {apiGroup: rbac.authorization.k8s.io, kind: Group, name: "system:bootstrappers:kubeadm:default-node-token"}
        """);
    cluster.kubectl(api, "apply", "-f", objects.toString());

    HttpResponse<String> config =
        withToken(token, "/api/v1/namespaces/kube-system/configmaps/kubeadm-config");
    assertThat(config.statusCode()).as(config.body()).isEqualTo(200);
    assertThat(JSON.readTree(config.body()).path("data").path("ClusterConfiguration").asString())
        .isEqualTo("kind: ClusterConfiguration\n");
    assertThat(withToken(token, "/api/v1/nodes/any").statusCode())
        .as("get nodes is granted, the node does not exist")
        .isEqualTo(404);
    HttpResponse<String> certs =
        withToken(token, "/api/v1/namespaces/kube-system/secrets/kubeadm-certs");
    assertThat(certs.statusCode()).isEqualTo(403);
    assertThat(JSON.readTree(certs.body()).path("message").asString())
        .isEqualTo(
            "secrets \"kubeadm-certs\" is forbidden: User \"system:bootstrap:abcdef\" cannot get"
                + " resource \"secrets\" in API group \"\" in the namespace \"kube-system\"");
    assertThat(withToken(token, "/api/v1/namespaces/kube-system/configmaps").statusCode())
        .isEqualTo(403);
    assertThat(withToken(token, "/api").statusCode())
        .as("system:discovery is bound to system:authenticated")
        .isEqualTo(200);

    // kubectl with the token, as kubeadm join's client: no client certificate.
    StandInCluster.Result kubectl =
        cluster.kubectl(
            List.of(
                "--server=" + StandInCluster.base(api),
                "--certificate-authority=" + cluster.pki.crt("ca"),
                "--token=" + token,
                "get",
                "configmap",
                "kubeadm-config",
                "-n",
                "kube-system",
                "-o",
                "jsonpath={.metadata.name}"));
    assertThat(kubectl.code()).as(kubectl.out()).isZero();
    assertThat(kubectl.out()).isEqualTo("kubeadm-config");

    for (String bad :
        List.of(
            "abcdef.0123456789abcdeX",
            "nosign.aaaaaaaaaaaaaaaa",
            "zzzzzz.0123456789abcdef",
            "not-a-bootstrap-token")) {
      HttpResponse<String> refused =
          withToken(bad, "/api/v1/namespaces/kube-system/configmaps/kubeadm-config");
      assertThat(refused.statusCode()).as(bad).isEqualTo(401);
      assertThat(refused.body()).contains("\"reason\":\"Unauthorized\"");
    }
    createToken("noauth", "0123456789abcdef", Instant.now().plus(Duration.ofHours(1)), true, false);
    assertThat(withToken("noauth.0123456789abcdef", "/api").statusCode())
        .as("a token without usage-bootstrap-authentication")
        .isEqualTo(401);
  }

  @Test
  @Order(4)
  void aDeletedTokensSignatureIsRemoved() throws Exception {
    awaitClusterInfo(
        "the signature of token noauth", c -> c.path("data").has("jws-kubeconfig-noauth"));
    assertThat(
            admin("DELETE", "/api/v1/namespaces/kube-system/secrets/bootstrap-token-noauth", null)
                .statusCode())
        .isEqualTo(200);
    JsonNode after =
        awaitClusterInfo(
            "the signature of the deleted token to go",
            c -> !c.path("data").has("jws-kubeconfig-noauth"));
    assertThat(after.path("data").has("jws-kubeconfig-abcdef")).isTrue();
  }

  @Test
  @Order(5)
  void anExpiredTokenIsDeletedByTheCleanerAndItsSignatureRemoved() throws Exception {
    Instant expiration = Instant.now().plus(Duration.ofSeconds(4)).truncatedTo(ChronoUnit.SECONDS);
    createToken("expire", "0123456789abcdef", expiration, true, true);
    JsonNode signed =
        awaitClusterInfo(
            "the signature of the short-lived token",
            c -> c.path("data").has("jws-kubeconfig-expire"));
    verifyWithPython(signed, "expire", "0123456789abcdef");
    assertThat(withToken("expire.0123456789abcdef", "/api").statusCode()).isEqualTo(200);

    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    int status = 0;
    while (System.nanoTime() < deadline) {
      status =
          admin("GET", "/api/v1/namespaces/kube-system/secrets/bootstrap-token-expire", null)
              .statusCode();
      if (status == 404) {
        break;
      }
      Thread.sleep(100);
    }
    assertThat(status).as("the token cleaner deleted the expired Secret").isEqualTo(404);
    assertThat(Instant.now()).isAfterOrEqualTo(expiration);
    JsonNode after =
        awaitClusterInfo(
            "the expired token's signature to go",
            c -> !c.path("data").has("jws-kubeconfig-expire"));
    assertThat(after.path("data").has("jws-kubeconfig-abcdef")).isTrue();
    assertThat(withToken("expire.0123456789abcdef", "/api").statusCode()).isEqualTo(401);
    assertThat(Optional.ofNullable(after.path("data").get("jws-kubeconfig-expire"))).isEmpty();
  }
}
