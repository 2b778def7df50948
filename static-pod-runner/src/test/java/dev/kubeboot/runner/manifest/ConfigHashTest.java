package dev.kubeboot.runner.manifest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeboot.runner.pod.StaticPod;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigHashTest {
  static final Path FILE = Path.of("/etc/kubernetes/manifests/web.yaml");
  static final String BASE =
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: web
        labels: {app: web}
      spec:
        containers:
        - name: app
          image: nginx:1.27
          args: ["--port", "80"]
          ports: [{containerPort: 80, name: http}]
          readinessProbe: {httpGet: {port: http}}
      """;

  final ManifestDecoder decoder =
      new ManifestDecoder(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));

  String uid(String content, Path file, String node) throws ManifestException {
    return decoder.decode(content.getBytes(UTF_8), file, node).uid();
  }

  static Stream<Arguments> sameUid() {
    return Stream.of(
        Arguments.of(
            "comments change nothing",
            "# written by hand\n" + BASE.replace("name: web\n", "name: web # the web pod\n")),
        Arguments.of(
            "whitespace and flow style change nothing",
            BASE.replace("labels: {app: web}", "labels:\n    app:    web\n\n")),
        Arguments.of(
            "key order changes nothing",
            """
            kind: Pod
            spec:
              containers:
              - readinessProbe: {httpGet: {port: http}}
                ports: [{name: http, containerPort: 80}]
                args: ["--port", "80"]
                image: nginx:1.27
                name: app
            metadata:
              labels: {app: web}
              name: web
            apiVersion: v1
            """),
        Arguments.of(
            "explicit defaults change nothing",
            BASE.replace("metadata:\n", "metadata:\n  namespace: default\n")
                .replace(
                    "spec:\n",
                    "spec:\n  restartPolicy: Always\n  dnsPolicy: ClusterFirst\n  terminationGracePeriodSeconds: 30\n  enableServiceLinks: true\n")
                .replace(
                    "image: nginx:1.27\n",
                    "image: nginx:1.27\n    imagePullPolicy: IfNotPresent\n    terminationMessagePolicy: File\n")
                .replace(
                    "{httpGet: {port: http}}",
                    "{httpGet: {port: http, path: /, scheme: HTTP}, periodSeconds: 10, failureThreshold: 3}")
                .replace("name: http}", "name: http, protocol: TCP}")),
        Arguments.of(
            "the same pod in JSON changes nothing",
            """
            {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web", "labels": {"app": "web"}},
             "spec": {"containers": [{"name": "app", "image": "nginx:1.27", "args": ["--port", "80"],
               "ports": [{"containerPort": 80, "name": "http"}], "readinessProbe": {"httpGet": {"port": "http"}}}]}}
            """),
        Arguments.of(
            "a null field is as absent",
            BASE.replace("metadata:\n", "metadata:\n  creationTimestamp: null\n")),
        Arguments.of("a leading document marker changes nothing", "---\n" + BASE));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sameUid")
  void sameUid(String sentence, String variant) throws Exception {
    assertThat(uid(variant, FILE, "node-1")).isEqualTo(uid(BASE, FILE, "node-1"));
  }

  @Test
  void renamingTheFileGivesANewUid() throws Exception {
    assertThat(uid(BASE, FILE.resolveSibling("web2.yaml"), "node-1"))
        .isNotEqualTo(uid(BASE, FILE, "node-1"));
  }

  @Test
  void theNodeNameIsPartOfTheUid() throws Exception {
    assertThat(uid(BASE, FILE, "node-2")).isNotEqualTo(uid(BASE, FILE, "node-1"));
  }

  @Test
  void aChangedFieldGivesANewUid() throws Exception {
    assertThat(uid(BASE.replace("\"80\"", "\"81\""), FILE, "node-1"))
        .isNotEqualTo(uid(BASE, FILE, "node-1"));
  }

  @Test
  void theSeenTimeIsNotPartOfTheUid() throws Exception {
    ManifestDecoder later =
        new ManifestDecoder(Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC));
    StaticPod a = decoder.decode(BASE.getBytes(UTF_8), FILE, "node-1");
    StaticPod b = later.decode(BASE.getBytes(UTF_8), FILE, "node-1");
    assertThat(a.uid()).isEqualTo(b.uid());
    assertThat(a.annotations().get("kubernetes.io/config.seen"))
        .isNotEqualTo(b.annotations().get("kubernetes.io/config.seen"));
  }

  @Test
  void aUidInTheFileIsUsedAsIs() throws Exception {
    StaticPod pod =
        decoder.decode(
            BASE.replace("name: web\n", "name: web\n  uid: my-own-uid\n").getBytes(UTF_8),
            FILE,
            "node-1");
    assertThat(pod.uid()).isEqualTo("my-own-uid");
    assertThat(pod.annotations()).containsEntry("kubernetes.io/config.hash", "my-own-uid");
  }

  /**
   * Pins the documented canonical form and hash: if this changes, every static pod restarts after
   * an upgrade of kubeboot.
   */
  @Test
  void theHashIsStableAcrossVersions() throws Exception {
    Map<String, Object> tree = new java.util.LinkedHashMap<>();
    tree.put("b", List.of(1L, true, "x\"\n"));
    tree.put("a", Map.of("z", 1.5, "y", "\u00e9"));
    assertThat(ConfigHash.canonical(tree))
        .isEqualTo("{\"a\":{\"y\":\"\u00e9\",\"z\":1.5},\"b\":[1,true,\"x\\\"\\u000a\"]}");
    assertThat(ConfigHash.of(tree, "node-1", Path.of("/m/a.yaml")))
        .isEqualTo(
            sha256Prefix(
                "{\"a\":{\"y\":\"\u00e9\",\"z\":1.5},\"b\":[1,true,\"x\\\"\\u000a\"]}host:node-1file:/m/a.yaml"));
    assertThat(uid(BASE, FILE, "node-1")).isEqualTo(GOLDEN_BASE_UID);
  }

  // SHA-256 prefix of the canonical BASE pod on node-1 at FILE, as documented in ConfigHash.
  static final String GOLDEN_BASE_UID = "853b8edf7964ae93a5c187d89c237e8d";

  static String sha256Prefix(String s) throws Exception {
    byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes(UTF_8));
    return java.util.HexFormat.of().formatHex(d, 0, 16);
  }
}
