package dev.kubeboot.templates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.yaml.snakeyaml.Yaml;

/**
 * The addon documents against golden files (src/test/resources/golden/addons, rewritten with {@code
 * -Dgolden.update=true}) and against the facts of kubeadm 1.34's phases/addons/dns and
 * phases/addons/proxy manifests, read back as YAML.
 */
class AddonManifestsTest {
  private static final Path GOLDEN = Path.of("src/test/resources/golden/addons");
  private static final boolean UPDATE = Boolean.getBoolean("golden.update");
  private static final AddonManifests ADDONS = new AddonManifests();

  static final String PROXY_CONFIG =
      """
      apiVersion: kubeproxy.config.k8s.io/v1alpha1
      bindAddress: 0.0.0.0
      clientConnection:
        kubeconfig: /var/lib/kube-proxy/kubeconfig.conf
      kind: KubeProxyConfiguration
      """;

  static CoreDnsAddon coreDns() {
    return new CoreDnsAddon(
        "registry.k8s.io/coredns/coredns:v1.12.1",
        CoreDnsAddon.DEFAULT_REPLICAS,
        "cluster.local",
        "10.96.0.10",
        "node-role.kubernetes.io/control-plane");
  }

  static KubeProxyAddon kubeProxy() {
    return KubeProxyAddon.of(
        "registry.k8s.io/kube-proxy:v1.34.2",
        "https://10.0.0.7:6443",
        PROXY_CONFIG,
        Map.of("HTTPS_PROXY", "http://proxy:3128", "no_proxy", "10.0.0.0/8", "PATH", "/bin"));
  }

  @Test
  void coreDnsMatchesItsGoldenFile() throws IOException {
    golden("coredns.yaml", String.join("---\n", ADDONS.coreDns(coreDns())));
  }

  @Test
  void kubeProxyMatchesItsGoldenFile() throws IOException {
    golden("kube-proxy.yaml", String.join("---\n", ADDONS.kubeProxy(kubeProxy())));
  }

  @Test
  void coreDnsObjectsAreKubeadms() {
    List<Map<String, Object>> docs = parse(ADDONS.coreDns(coreDns()));
    assertThat(docs)
        .extracting(d -> d.get("kind"))
        .containsExactly(
            "ConfigMap",
            "ClusterRole",
            "ClusterRoleBinding",
            "ServiceAccount",
            "Deployment",
            "Service");
    String corefile = (String) get(docs.get(0), "data", "Corefile");
    assertThat(corefile)
        .startsWith(".:53 {\n    errors\n    health {\n       lameduck 5s\n    }\n    ready\n")
        .contains("    kubernetes cluster.local in-addr.arpa ip6.arpa {\n")
        .contains(
            "    cache 30 {\n       disable success cluster.local\n"
                + "       disable denial cluster.local\n    }\n    loop\n    reload\n")
        .endsWith("    loadbalance\n}\n");
    Map<String, Object> deployment = docs.get(4);
    assertThat(get(deployment, "spec", "replicas")).isEqualTo(2);
    assertThat(get(deployment, "metadata", "labels")).isEqualTo(Map.of("k8s-app", "kube-dns"));
    assertThat(get(deployment, "spec", "template", "spec", "priorityClassName"))
        .isEqualTo("system-cluster-critical");
    assertThat(get(deployment, "spec", "template", "spec", "tolerations"))
        .isEqualTo(
            List.of(
                Map.of("key", "CriticalAddonsOnly", "operator", "Exists"),
                Map.of("key", "node-role.kubernetes.io/control-plane", "effect", "NoSchedule")));
    Map<String, Object> service = docs.get(5);
    assertThat(get(service, "metadata", "name")).isEqualTo("kube-dns");
    assertThat(get(service, "spec", "clusterIP")).isEqualTo("10.96.0.10");
    assertThat(get(service, "metadata", "annotations"))
        .isEqualTo(Map.of("prometheus.io/port", "9153", "prometheus.io/scrape", "true"));
  }

  @Test
  void kubeProxyObjectsAreKubeadms() {
    List<Map<String, Object>> docs = parse(ADDONS.kubeProxy(kubeProxy()));
    assertThat(docs)
        .extracting(d -> d.get("kind"))
        .containsExactly(
            "ConfigMap",
            "DaemonSet",
            "ServiceAccount",
            "ClusterRoleBinding",
            "Role",
            "RoleBinding");
    assertThat(get(docs.get(0), "data", "config.conf"))
        .as("the configuration, without its final newline (a |- block)")
        .isEqualTo(PROXY_CONFIG.stripTrailing());
    assertThat((String) get(docs.get(0), "data", "kubeconfig.conf"))
        .contains("    server: https://10.0.0.7:6443\n")
        .endsWith("tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token");
    @SuppressWarnings("unchecked")
    Map<String, Object> container =
        ((List<Map<String, Object>>) get(docs.get(1), "spec", "template", "spec", "containers"))
            .getFirst();
    assertThat(container.get("image")).isEqualTo("registry.k8s.io/kube-proxy:v1.34.2");
    assertThat(container.get("env"))
        .as("NODE_NAME, then the proxy variables sorted as kubeadm merges them")
        .isEqualTo(
            List.of(
                Map.of(
                    "name",
                    "NODE_NAME",
                    "valueFrom",
                    Map.of("fieldRef", Map.of("fieldPath", "spec.nodeName"))),
                Map.of("name", "HTTPS_PROXY", "value", "http://proxy:3128"),
                Map.of("name", "no_proxy", "value", "10.0.0.0/8")));
    assertThat(get(docs.get(3), "roleRef", "name")).isEqualTo("system:node-proxier");
    assertThat(get(docs.get(5), "subjects"))
        .isEqualTo(
            List.of(
                Map.of(
                    "kind", "Group", "name", "system:bootstrappers:kubeadm:default-node-token")));
  }

  @ParameterizedTest(name = "kubernetes {0}, repository {1}, dns override {2}:{3} -> {4}")
  @CsvSource({
    "v1.34.2, registry.k8s.io, , , registry.k8s.io/coredns/coredns:v1.12.1",
    "v1.33.4, registry.k8s.io, , , registry.k8s.io/coredns/coredns:v1.12.0",
    "v1.32.1, registry.k8s.io, , , registry.k8s.io/coredns/coredns:v1.11.3",
    "v1.31.0, registry.k8s.io, , , registry.k8s.io/coredns/coredns:v1.11.3",
    "v1.34.2, mirror.corp:5000/k8s, , , mirror.corp:5000/k8s/coredns:v1.12.1",
    "v1.34.2, registry.k8s.io, dns.corp, v1.13.0, dns.corp/coredns:v1.13.0"
  })
  void coreDnsImagePerVersion(
      String version, String repository, String dnsRepository, String dnsTag, String expected) {
    assertThat(
            CoreDnsAddon.image(
                KubernetesVersion.parse(version),
                repository,
                Optional.ofNullable(dnsRepository),
                Optional.ofNullable(dnsTag)))
        .isEqualTo(expected);
  }

  @Test
  void aDnsDomainThatWouldBreakTheCorefileIsRefused() {
    assertThatThrownBy(
            () ->
                new CoreDnsAddon(
                    "img",
                    2,
                    "cluster.local {\n}",
                    "10.96.0.10",
                    "node-role.kubernetes.io/control-plane"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("networking.dnsDomain");
  }

  private static List<Map<String, Object>> parse(List<String> documents) {
    Yaml yaml = new Yaml();
    return documents.stream().map(d -> (Map<String, Object>) yaml.load(d)).toList();
  }

  @SuppressWarnings("unchecked")
  private static Object get(Map<String, Object> map, String... path) {
    Object current = map;
    for (String key : path) {
      current = ((Map<String, Object>) current).get(key);
    }
    return current;
  }

  private static void golden(String name, String actual) throws IOException {
    Path file = GOLDEN.resolve(name);
    if (UPDATE) {
      Files.createDirectories(GOLDEN);
      Files.writeString(file, actual, StandardCharsets.UTF_8);
    }
    assertThat(actual).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
  }
}
