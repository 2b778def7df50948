package dev.kubeboot.runner.manifest;

import static dev.kubeboot.runner.manifest.TestManifests.pod;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The bad-input corpus: every case is refused with a message naming the file and the reason. */
class ManifestDecoderBadInputTest {
  static final Path FILE = Path.of("/etc/kubernetes/manifests/bad-one.yaml");

  final ManifestDecoder decoder = new ManifestDecoder(Clock.systemUTC());

  static String withContainer(String containerExtra) {
    return """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
          - name: app
            image: nginx:1
        """
        + containerExtra.indent(4);
  }

  static String withSpec(String specExtra) {
    return """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers: [{name: app, image: "nginx:1"}]
        """
        + specExtra.indent(2);
  }

  static String kind(String apiVersion, String kind) {
    return "apiVersion: " + apiVersion + "\nkind: " + kind + "\nmetadata: {name: web}\nspec: {}\n";
  }

  static byte[] billionLaughs() {
    StringBuilder s =
        new StringBuilder(
            "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nl0: &l0 [x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i <= 9; i++) {
      String prev = "*l" + (i - 1);
      s.append("l")
          .append(i)
          .append(": &l")
          .append(i)
          .append(" [")
          .append(String.join(", ", java.util.Collections.nCopies(5, prev)))
          .append("]\n");
    }
    return s.toString().getBytes(UTF_8);
  }

  static byte[] deeplyNested() {
    return ("apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nx: "
            + "[".repeat(5000)
            + "]".repeat(5000)
            + "\n")
        .getBytes(UTF_8);
  }

  static byte[] binaryJunk() {
    byte[] b = new byte[4096];
    new Random(42).nextBytes(b);
    return b;
  }

  static byte[] tooLarge() {
    byte[] b = new byte[10 * 1024 * 1024 + 1];
    Arrays.fill(b, (byte) '#');
    return b;
  }

  static Stream<Arguments> corpus() {
    return Stream.of(
        bad("invalid YAML", "apiVersion: v1\nkind: Pod\nmetadata: {name: web\n", "invalid YAML"),
        bad("invalid JSON", "{\"apiVersion\": \"v1\", \"kind\": \"Pod\",", "invalid JSON"),
        bad("a Deployment", kind("apps/v1", "Deployment"), "\"Deployment\" is not a Pod"),
        bad("a Service", kind("v1", "Service"), "\"Service\" is not a Pod"),
        bad("a ReplicaSet", kind("apps/v1", "ReplicaSet"), "\"ReplicaSet\" is not a Pod"),
        bad("a PodList", "apiVersion: v1\nkind: PodList\nitems: []\n", "\"PodList\" is not a Pod"),
        bad("no kind", "apiVersion: v1\nmetadata: {name: web}\n", "kind: missing"),
        bad("a Pod of another apiVersion", kind("v2", "Pod"), "apiVersion: \"v2\" is not v1"),
        bad(
            "two documents",
            pod("a", "nginx") + "---\n" + pod("b", "nginx"),
            "more than one YAML document"),
        bad(
            "no containers",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec: {}\n",
            "spec.containers: required"),
        bad(
            "an empty container list",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec: {containers: []}\n",
            "spec.containers: required"),
        bad(
            "no spec at all",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\n",
            "spec.containers: required"),
        bad(
            "duplicate container names",
            withSpec("initContainers: [{name: app, image: busybox}]"),
            "duplicate container name \"app\""),
        bad(
            "a missing name",
            "apiVersion: v1\nkind: Pod\nmetadata: {labels: {a: b}}\nspec: {containers: [{name: app, image: nginx}]}\n",
            "metadata.name: required"),
        bad(
            "a name that is no DNS subdomain",
            pod("Web_Server", "nginx"),
            "metadata.name: \"Web_Server-node-1\""),
        bad(
            "a name too long with the node suffix",
            pod("a".repeat(250), "nginx"),
            "at most 253 characters"),
        bad(
            "a uid that climbs out of the pod directories",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: web, uid: x/../../../victim}\n"
                + "spec: {containers: [{name: app, image: nginx}]}\n",
            "metadata.uid: \"x/../../../victim\" must be letters, digits"),
        bad(
            "a uid that is ..",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: web, uid: \"..\"}\n"
                + "spec: {containers: [{name: app, image: nginx}]}\n",
            "metadata.uid: \"..\" must be"),
        bad(
            "a uid with a slash",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: web, uid: a/b}\n"
                + "spec: {containers: [{name: app, image: nginx}]}\n",
            "no '/', '..' or control characters"),
        bad(
            "a uid with a control character",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: web, uid: \"a\\nb\\u0007\"}\n"
                + "spec: {containers: [{name: app, image: nginx}]}\n",
            "metadata.uid: \"a\\u000ab\\u0007\" must be"),
        bad(
            "a uid longer than 128 characters",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: web, uid: "
                + "u".repeat(129)
                + "}\nspec: {containers: [{name: app, image: nginx}]}\n",
            "metadata.uid: \"" + "u".repeat(80) + "...\" must be at most 128 characters"),
        bad(
            "a container name that is no DNS label",
            withSpec("").replace("name: app", "name: App_1"),
            "spec.containers[0].name: \"App_1\" must be a DNS label"),
        bad(
            "a missing image",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec: {containers: [{name: app}]}\n",
            "spec.containers[0].image: required"),
        bad(
            "an image that is a number",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec: {containers: [{name: app, image: 42}]}\n",
            "spec.containers[0].image: must be a string, got the number 42"),
        bad(
            "a port above 65535",
            withContainer("ports: [{containerPort: 70000}]"),
            "spec.containers[0].ports[0].containerPort: must be between 1 and 65535, got 70000"),
        bad(
            "a port of 0",
            withContainer("ports: [{containerPort: 0}]"),
            "containerPort: must be between 1 and 65535"),
        bad(
            "a port that is a word",
            withContainer("ports: [{containerPort: eighty}]"),
            "containerPort: must be an integer, got the string \"eighty\""),
        bad(
            "a port that is a float",
            withContainer("ports: [{containerPort: 80.5}]"),
            "containerPort: must be an integer"),
        bad(
            "an unknown protocol",
            withContainer("ports: [{containerPort: 80, protocol: HTTP}]"),
            "protocol: \"HTTP\" is not one of TCP, UDP, SCTP"),
        bad(
            "a secret volume",
            withSpec("volumes: [{name: s, secret: {secretName: x}}]"),
            "spec.volumes[0].secret: volume \"s\" references a Secret"),
        bad(
            "a configMap volume",
            withSpec("volumes: [{name: c, configMap: {name: x}}]"),
            "references a ConfigMap"),
        bad(
            "a projected volume",
            withSpec("volumes: [{name: p, projected: {sources: []}}]"),
            "spec.volumes[0].projected"),
        bad(
            "a persistentVolumeClaim volume",
            withSpec("volumes: [{name: p, persistentVolumeClaim: {claimName: x}}]"),
            "references a PersistentVolumeClaim"),
        bad(
            "two sources in one volume",
            withSpec("volumes: [{name: v, emptyDir: {}, hostPath: {path: /x}}]"),
            "exactly one source, found emptyDir, hostPath"),
        bad(
            "an env valueFrom secret",
            withContainer("env: [{name: P, valueFrom: {secretKeyRef: {name: s, key: k}}}]"),
            "env[0].valueFrom.secretKeyRef: references a Secret"),
        bad(
            "an env valueFrom configMap",
            withContainer("env: [{name: P, valueFrom: {configMapKeyRef: {name: s, key: k}}}]"),
            "references a ConfigMap"),
        bad(
            "envFrom",
            withContainer("envFrom: [{configMapRef: {name: c}}]"),
            "spec.containers[0].envFrom: references a ConfigMap or Secret"),
        bad(
            "generateName without a name",
            "apiVersion: v1\nkind: Pod\nmetadata: {generateName: web-}\n"
                + "spec: {containers: [{name: app, image: nginx}]}\n",
            "metadata.name: required; metadata.generateName (\"web-\") names nothing for a static"
                + " pod"),
        bad(
            "a fieldRef the kubelet does not know",
            withContainer("env: [{name: X, valueFrom: {fieldRef: {fieldPath: status.phase}}}]"),
            "\"status.phase\" is not supported by kubeboot's runner"),
        bad(
            "a service account",
            withSpec("serviceAccountName: builder"),
            "spec.serviceAccountName: \"builder\": a static pod cannot use a service account"),
        bad(
            "a service-account token",
            withSpec("automountServiceAccountToken: true"),
            "cannot mount a service-account token"),
        bad(
            "image pull secrets",
            withSpec("imagePullSecrets: [{name: reg}]"),
            "spec.imagePullSecrets"),
        bad(
            "a probe with two handlers",
            withContainer("livenessProbe: {exec: {command: [x]}, tcpSocket: {port: 80}}"),
            "livenessProbe: must set exactly one of httpGet, tcpSocket, exec, grpc; found tcpSocket and exec"),
        bad(
            "a probe with no handler",
            withContainer("readinessProbe: {periodSeconds: 5}"),
            "found none"),
        bad(
            "a probe on an undeclared named port",
            withContainer("livenessProbe: {httpGet: {port: probe-port}}"),
            "no container port named \"probe-port\""),
        bad(
            "a liveness success threshold above 1",
            withContainer("livenessProbe: {tcpSocket: {port: 80}, successThreshold: 2}"),
            "successThreshold: must be 1"),
        bad(
            "an unknown restartPolicy",
            withSpec("restartPolicy: Sometimes"),
            "spec.restartPolicy: \"Sometimes\" is not one of Always, OnFailure, Never"),
        bad(
            "an unknown hostPath type",
            withSpec("volumes: [{name: h, hostPath: {path: /x, type: Dir}}]"),
            "spec.volumes[0].hostPath.type: \"Dir\" is not one of"),
        bad(
            "a mount of a missing volume",
            withContainer("volumeMounts: [{name: data, mountPath: /data}]"),
            "no volume named \"data\""),
        bad(
            "a label value that is a number",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: web, labels: {v: 1}}\nspec: {containers: [{name: app, image: nginx}]}\n",
            "metadata.labels.v: must be a string"),
        bad(
            "hostNetwork that is a string",
            withSpec("hostNetwork: \"yes please\""),
            "spec.hostNetwork: must be true or false"),
        bad(
            "containers that are a mapping",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec: {containers: {name: app}}\n",
            "spec.containers: must be a list"),
        bad(
            "duplicate keys",
            "apiVersion: v1\nkind: Pod\nkind: Pod\nmetadata: {name: web}\n",
            "duplicate key"),
        bad(
            "a Java type tag",
            "!!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://127.0.0.1/\"]]]]\n",
            "invalid YAML"),
        bad("binary junk", binaryJunk(), "not UTF-8"),
        bad(
            "text with control characters",
            "apiVersion: v1\u0000\u0001\u0002\n".getBytes(UTF_8),
            "invalid YAML"),
        bad("a file over 10 MiB", tooLarge(), "more than the limit of 10485760"),
        bad("an empty file", new byte[0], "file is empty"),
        bad("whitespace only", "  \n\t\n", "file is empty"),
        bad("comments only", "# nothing here\n", "no YAML document"),
        bad(
            "a JSON array",
            "[{\"apiVersion\": \"v1\", \"kind\": \"Pod\"}]",
            "is a list, expected a v1 Pod"),
        bad("a scalar document", "hello", "is the string \"hello\", expected a v1 Pod"),
        bad(
            "dnsPolicy None without nameservers",
            withSpec("dnsPolicy: None"),
            "spec.dnsConfig.nameservers: required when dnsPolicy is None"),
        bad(
            "four nameservers",
            withSpec("dnsConfig: {nameservers: [1.1.1.1, 1.0.0.1, 8.8.8.8, 8.8.4.4]}"),
            "spec.dnsConfig.nameservers: 4 nameservers; at most 3"),
        bad(
            "a nameserver that is a host name",
            withSpec("dnsConfig: {nameservers: [dns.example.com]}"),
            "spec.dnsConfig.nameservers[0]: \"dns.example.com\" is not an IP address"),
        bad(
            "a search domain with a space",
            withSpec("dnsConfig: {searches: [\"a b\"]}"),
            "spec.dnsConfig.searches[0]: \"a b\" must be a DNS subdomain"),
        bad(
            "a DNS option without name",
            withSpec("dnsConfig: {options: [{value: \"2\"}]}"),
            "spec.dnsConfig.options[0].name: required"),
        bad(
            "a host alias with a bad IP",
            withSpec("hostAliases: [{ip: 10.0.0.300, hostnames: [a.local]}]"),
            "spec.hostAliases[0].ip: \"10.0.0.300\" is not an IP address"),
        bad(
            "a host alias name that is no DNS subdomain",
            withSpec("hostAliases: [{ip: 10.0.0.3, hostnames: [A_B]}]"),
            "spec.hostAliases[0].hostnames[0]: \"A_B\" must be a DNS subdomain"),
        bad(
            "a hostname that is no DNS label",
            withSpec("hostname: my.host"),
            "spec.hostname: \"my.host\" must be a DNS label"),
        bad(
            "a hostIP that is no IP",
            withContainer("ports: [{containerPort: 80, hostPort: 8080, hostIP: localhost}]"),
            "spec.containers[0].ports[0].hostIP: \"localhost\" is not an IP address"),
        bad("a YAML alias bomb", billionLaughs(), "refusing an alias bomb"),
        bad("deeply nested YAML", deeplyNested(), "Nesting Depth exceeded"));
  }

  static Arguments bad(String sentence, String content, String reason) {
    return bad(sentence, content.getBytes(UTF_8), reason);
  }

  static Arguments bad(String sentence, byte[] content, String reason) {
    return Arguments.of(sentence, content, reason);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void refused(String sentence, byte[] content, String reason) {
    assertThatThrownBy(() -> decoder.decode(content, FILE, "node-1"))
        .isInstanceOf(ManifestException.class)
        .hasMessageStartingWith(FILE + ": ")
        .hasMessageContaining(reason)
        .satisfies(
            e -> org.assertj.core.api.Assertions.assertThat(e.getMessage()).doesNotContain("\n"));
  }
}
