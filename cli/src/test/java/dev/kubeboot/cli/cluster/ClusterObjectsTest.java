package dev.kubeboot.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeboot.cli.config.ClusterConfigurationYaml;
import dev.kubeboot.cli.config.ComponentConfigs;
import dev.kubeboot.cli.config.ConfigReader;
import dev.kubeboot.cli.config.InitConfigLoader;
import dev.kubeboot.cli.config.InitFlags;
import dev.kubeboot.cli.config.KubeadmConfig;
import dev.kubeboot.cli.config.NodePaths;
import dev.kubeboot.cli.config.Taint;
import dev.kubeboot.cli.token.BootstrapTokenSecrets;
import dev.kubeboot.cli.token.BootstrapTokenSpec;
import dev.kubeboot.cli.token.BootstrapTokenString;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every object the API-side phases write, as YAML, against golden files in
 * src/test/resources/cluster (rewrite with {@code -Dgolden.update=true} and read the diff against
 * the kubeadm facts before keeping it). The facts come from kubeadm 1.34's phases/uploadconfig,
 * phases/kubelet/config.go, phases/copycerts, phases/bootstraptoken/{node, clusterinfo},
 * phases/markcontrolplane and cluster-bootstrap's token/api.
 */
class ClusterObjectsTest {
  private static final Path GOLDEN = Path.of("src/test/resources/cluster");
  private static final boolean UPDATE = Boolean.getBoolean("golden.update");
  private static final Instant NOW = Instant.parse("2025-01-02T03:04:05.678Z");
  private static final BootstrapTokenString TOKEN =
      BootstrapTokenString.parse("abcdef.0123456789abcdef").orElseThrow();
  private static final String CA_PEM =
      "-----BEGIN CERTIFICATE-----\nMIIBdummy\n-----END CERTIFICATE-----\n";

  static KubeadmConfig config() throws Exception {
    return new InitConfigLoader(NodePaths.standard(), () -> "node-1", () -> address("10.0.0.7"))
        .resolve(KubeadmConfig.empty(), InitFlags.none());
  }

  static Stream<Arguments> objects() throws Exception {
    KubeadmConfig config = config();
    Secret owner =
        new SecretBuilder()
            .withNewMetadata()
            .withName("bootstrap-token-ttl123")
            .withUid("0b7e-uid")
            .endMetadata()
            .build();
    Map<String, String> encrypted = new LinkedHashMap<>();
    encrypted.put("ca.crt", "ENCRYPTED");
    return Stream.of(
        Arguments.of(
            "kubeadm-config",
            UploadConfigObjects.kubeadmConfig(ClusterConfigurationYaml.marshal(config.cluster()))),
        Arguments.of("kubeadm-config-role", UploadConfigObjects.kubeadmConfigRole()),
        Arguments.of("kubeadm-config-rolebinding", UploadConfigObjects.kubeadmConfigRoleBinding()),
        Arguments.of(
            "kubelet-config",
            UploadConfigObjects.kubeletConfig(
                ComponentConfigDocuments.kubelet(config.cluster(), ComponentConfigs.none()))),
        Arguments.of("kubelet-config-role", UploadConfigObjects.kubeletConfigRole()),
        Arguments.of("kubelet-config-rolebinding", UploadConfigObjects.kubeletConfigRoleBinding()),
        Arguments.of(
            "bootstrap-token",
            BootstrapTokenSecrets.toSecret(BootstrapTokenSpec.defaults(TOKEN), NOW)),
        Arguments.of("get-nodes-clusterrole", BootstrapTokenObjects.getNodesRole()),
        Arguments.of("get-nodes-clusterrolebinding", BootstrapTokenObjects.getNodesBinding()),
        Arguments.of("kubelet-bootstrap", BootstrapTokenObjects.kubeletBootstrap()),
        Arguments.of("node-autoapprove-bootstrap", BootstrapTokenObjects.autoApproveBootstrap()),
        Arguments.of(
            "node-autoapprove-certificate-rotation", BootstrapTokenObjects.autoApproveRotation()),
        Arguments.of(
            "cluster-info",
            ClusterInfoObjects.configMap(
                ClusterInfoObjects.kubeconfig("https://10.0.0.7:6443", CA_PEM))),
        Arguments.of("cluster-info-role", ClusterInfoObjects.role()),
        Arguments.of("cluster-info-rolebinding", ClusterInfoObjects.roleBinding()),
        Arguments.of("kubeadm-certs", UploadCertsObjects.secret(encrypted, owner)),
        Arguments.of(
            "kubeadm-certs-token",
            BootstrapTokenSecrets.toSecret(UploadCertsObjects.ttlToken(TOKEN), NOW)),
        Arguments.of("kubeadm-certs-role", UploadCertsObjects.role()),
        Arguments.of("kubeadm-certs-rolebinding", UploadCertsObjects.roleBinding()),
        Arguments.of("cluster-admins", AdminBinding.binding()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("objects")
  void matchesItsGoldenFile(String name, Object object) throws IOException {
    golden(name + ".yaml", Serialization.asYaml(object));
  }

  @Test
  void theUploadedClusterConfigurationIsKubeadmsV1beta4Document() throws Exception {
    String yaml = ClusterConfigurationYaml.marshal(config().cluster());
    golden("cluster-configuration.yaml", yaml);
    KubeadmConfig back = new ConfigReader().read(yaml, "uploaded");
    assertThat(back.cluster().kubernetesVersion().text()).isEqualTo("v1.34.2");
    assertThat(yaml)
        .doesNotContain("bootstrapTokens")
        .doesNotContain("nodeRegistration")
        .doesNotContain("certificateKey");
  }

  @Test
  void theKubeletAndKubeProxyDocumentsAreKubeadmsDefaults() throws Exception {
    golden(
        "kubelet.yaml",
        ComponentConfigDocuments.kubelet(config().cluster(), ComponentConfigs.none()).yaml());
    golden(
        "kube-proxy.yaml",
        ComponentConfigDocuments.kubeProxy(
                config().cluster(), address("10.0.0.7"), ComponentConfigs.none())
            .yaml());
  }

  @Test
  void aUsersKubeletConfigurationIsLaidOverTheDefaultsAndLeftUnsigned() throws Exception {
    Map<String, Object> user = new LinkedHashMap<>();
    user.put("apiVersion", ComponentConfigs.KUBELET_API);
    user.put("kind", "KubeletConfiguration");
    user.put("cgroupDriver", "cgroupfs");
    user.put("authentication", Map.of("webhook", Map.of("cacheTTL", "2m0s")));
    var doc =
        ComponentConfigDocuments.kubelet(
            config().cluster(), new ComponentConfigs(Optional.of(user), Optional.empty()));
    assertThat(doc.userSupplied()).isTrue();
    assertThat(doc.yaml())
        .contains("cgroupDriver: cgroupfs\n")
        .contains("  webhook:\n    cacheTTL: 2m0s\n    enabled: true\n")
        .contains("clusterDNS:\n- 10.96.0.10\n");
    assertThat(UploadConfigObjects.kubeletConfig(doc).getMetadata().getAnnotations())
        .doesNotContainKey(ComponentConfigHash.ANNOTATION);
  }

  @Test
  void anIpv6ClusterBindsKubeProxyOnTheIpv6AnyAddressAndUsesThePodSubnet() throws Exception {
    KubeadmConfig config =
        new InitConfigLoader(NodePaths.standard(), () -> "n", () -> address("fd00::7"))
            .resolve(
                new ConfigReader()
                    .read(
                        """
                        apiVersion: kubeadm.k8s.io/v1beta4
                        kind: ClusterConfiguration
                        networking:
                          podSubnet: fd00:10:244::/56
                          serviceSubnet: fd00:10:96::/112
                        """,
                        "ipv6.yaml"),
                InitFlags.none());
    assertThat(
            ComponentConfigDocuments.kubeProxy(
                    config.cluster(), address("fd00::7"), ComponentConfigs.none())
                .yaml())
        .contains("bindAddress: '::'\n".replace("'", "\""))
        .contains("clusterCIDR: fd00:10:244::/56\n");
    assertThat(ComponentConfigDocuments.kubelet(config.cluster(), ComponentConfigs.none()).yaml())
        .contains("clusterDNS:\n- fd00:10:96::a\n");
  }

  @Test
  void theTokenSecretIsClusterBootstrapsFormat() {
    Secret secret = BootstrapTokenSecrets.toSecret(BootstrapTokenSpec.defaults(TOKEN), NOW);
    assertThat(secret.getMetadata().getName()).isEqualTo("bootstrap-token-abcdef");
    assertThat(secret.getType()).isEqualTo("bootstrap.kubernetes.io/token");
    assertThat(decoded(secret))
        .containsOnly(
            Map.entry("token-id", "abcdef"),
            Map.entry("token-secret", "0123456789abcdef"),
            Map.entry("expiration", "2025-01-03T03:04:05Z"),
            Map.entry("usage-bootstrap-signing", "true"),
            Map.entry("usage-bootstrap-authentication", "true"),
            Map.entry("auth-extra-groups", "system:bootstrappers:kubeadm:default-node-token"));
    var back = BootstrapTokenSecrets.fromSecret(secret);
    assertThat(back.usages()).containsExactly("authentication", "signing");
    assertThat(back.expires()).contains(Instant.parse("2025-01-03T03:04:05Z"));
  }

  @Test
  void aTokenWithTtlZeroNeverExpiresAndAnExpiryWinsOverTheTtl() {
    var forever =
        new BootstrapTokenSpec(
            TOKEN, "", Optional.of(Duration.ZERO), Optional.empty(), List.of(), List.of());
    assertThat(decoded(BootstrapTokenSecrets.toSecret(forever, NOW)))
        .doesNotContainKey("expiration");
    var fixed =
        new BootstrapTokenSpec(
            TOKEN,
            "",
            Optional.of(Duration.ofHours(1)),
            Optional.of(Instant.parse("2030-05-06T07:08:09Z")),
            List.of(),
            List.of());
    assertThat(decoded(BootstrapTokenSecrets.toSecret(fixed, NOW)))
        .containsEntry("expiration", "2030-05-06T07:08:09Z");
  }

  @Test
  void markingKeepsOtherTaintsAndChangesNothingTheSecondTime() {
    var node =
        new NodeBuilder()
            .withNewMetadata()
            .withName("n")
            .withLabels(Map.of("a", "b"))
            .endMetadata()
            .withNewSpec()
            .addNewTaint()
            .withKey("x")
            .withEffect("NoExecute")
            .endTaint()
            .endSpec()
            .build();
    List<Taint> taints = NodeMarking.taints(Optional.empty());
    String patch = NodeMarking.patch(node, taints).orElseThrow();
    assertThat(patch)
        .isEqualTo(
            "[{\"op\":\"add\",\"path\":\"/metadata/labels/node-role.kubernetes.io~1control-plane\","
                + "\"value\":\"\"},{\"op\":\"add\",\"path\":"
                + "\"/metadata/labels/node.kubernetes.io~1exclude-from-external-load-balancers\","
                + "\"value\":\"\"},{\"op\":\"replace\",\"path\":\"/spec/taints\",\"value\":"
                + "[{\"effect\":\"NoSchedule\",\"key\":\"node-role.kubernetes.io/control-plane\"},"
                + "{\"effect\":\"NoExecute\",\"key\":\"x\"}]}]");
    var marked =
        new NodeBuilder(node)
            .editMetadata()
            .addToLabels(NodeMarking.CONTROL_PLANE_LABEL, "")
            .addToLabels(NodeMarking.EXCLUDE_FROM_LB_LABEL, "")
            .endMetadata()
            .editSpec()
            .withTaints(
                new io.fabric8.kubernetes.api.model.TaintBuilder()
                    .withKey(NodeMarking.CONTROL_PLANE_LABEL)
                    .withEffect("NoSchedule")
                    .build(),
                node.getSpec().getTaints().getFirst())
            .endSpec()
            .build();
    assertThat(NodeMarking.patch(marked, taints)).isEmpty();
  }

  @Test
  void anEmptyTaintListMeansNoTaintAndUnsetMeansTheControlPlaneTaint() {
    assertThat(NodeMarking.taints(Optional.of(List.of()))).isEmpty();
    assertThat(NodeMarking.describe(NodeMarking.taints(Optional.empty())))
        .isEqualTo("[node-role.kubernetes.io/control-plane:NoSchedule]");
  }

  @Test
  void aRerunKeepsTheSignaturesOfAnUnchangedClusterInfo() {
    var desired =
        ClusterInfoObjects.configMap(
            ClusterInfoObjects.kubeconfig("https://10.0.0.7:6443", CA_PEM));
    var signed =
        new io.fabric8.kubernetes.api.model.ConfigMapBuilder(desired)
            .addToData("jws-kubeconfig-abcdef", "sig")
            .build();
    assertThat(ClusterInfoObjects.merge(signed, desired).getData())
        .containsKey("jws-kubeconfig-abcdef");
    var moved =
        ClusterInfoObjects.configMap(
            ClusterInfoObjects.kubeconfig("https://10.0.0.8:6443", CA_PEM));
    assertThat(ClusterInfoObjects.merge(signed, moved).getData()).containsOnlyKeys("kubeconfig");
  }

  @Test
  void theComponentConfigHashIsTheSha256OfTheValuesInKeyOrder() throws Exception {
    var cm =
        new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
            .withNewMetadata()
            .withName("x")
            .endMetadata()
            .withData(Map.of("b", "2", "a", "1"))
            .build();
    byte[] digest =
        java.security.MessageDigest.getInstance("SHA-256")
            .digest("12".getBytes(StandardCharsets.UTF_8));
    assertThat(ComponentConfigHash.of(cm))
        .isEqualTo("sha256:" + java.util.HexFormat.of().formatHex(digest));
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static Map<String, String> decoded(Secret secret) {
    Map<String, String> out = new LinkedHashMap<>();
    secret
        .getData()
        .forEach(
            (k, v) ->
                out.put(
                    k,
                    new String(java.util.Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    return out;
  }

  private static void golden(String name, String actual) throws IOException {
    Path file = GOLDEN.resolve(name);
    if (UPDATE) {
      Files.createDirectories(GOLDEN);
      Files.writeString(file, actual, StandardCharsets.UTF_8);
    }
    assertThat(actual).as(name).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
  }
}
