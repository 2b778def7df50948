package dev.kubeboot.cli.init;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeboot.cli.config.ConfigReader;
import dev.kubeboot.cli.config.InitConfigLoader;
import dev.kubeboot.cli.config.InitFlags;
import dev.kubeboot.cli.config.KubeadmConfig;
import dev.kubeboot.cli.config.NodePaths;
import dev.kubeboot.pki.KubeadmCert;
import dev.kubeboot.pki.KubeadmCerts;
import dev.kubeboot.templates.IpText;
import dev.kubeboot.templates.KubeconfigModel;
import dev.kubeboot.templates.KubeconfigRenderer;
import dev.kubeboot.templates.ManifestRenderer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole render of {@code kubeboot init} for one kubeadm config per scenario, from the file
 * (src/test/resources/golden/SCENARIO/kubeadm.yaml) through reading, defaulting and validation to
 * the four manifests, the five kubeconfigs (key material replaced by placeholders) and the
 * certificate table. Each golden file starts with {@code #} lines naming the kubeadm sources it was
 * checked against; the comparison skips them. Run with {@code -Dgolden.update=true} to rewrite the
 * files (the notes come from this class), then read the diff against kubeadm before keeping it.
 */
class GoldenRenderTest {
  private static final Path GOLDEN = Path.of("src/test/resources/golden");
  private static final boolean UPDATE = Boolean.getBoolean("golden.update");
  private static final InetAddress DETECTED = ip("192.168.0.10");

  /** A Debian host: only the Debian CA directories exist. */
  private static final Predicate<Path> DEBIAN_HOST =
      Set.of(Path.of("/etc/ca-certificates"), Path.of("/usr/share/ca-certificates"))::contains;

  private static final String KUBEADM =
      "kubeadm v1.34 cmd/kubeadm/app: phases/controlplane/manifests.go (flags, volumes),"
          + " phases/etcd/local.go (etcd flags, mounts data then certs), util/staticpod/utils.go"
          + " (probes, getProbeAddress), util/arguments.go (ArgumentsToCommand),"
          + " phases/kubeconfig/kubeconfig.go (getKubeConfigSpecsBase), phases/certs/certlist.go"
          + " and util/pkiutil (RemoveDuplicateAltNames sorts DNS names),"
          + " apis/kubeadm/v1beta4/defaults.go, util/config/initconfiguration.go"
          + " (SetInitDynamicDefaults, LowercaseSANs)";

  static Stream<Arguments> scenarios() {
    return Stream.of(
        scenario(
            "defaults",
            "no config file: kubeboot's default Kubernetes v1.34.2",
            KUBEADM + "; templates KubeadmRelease row v1.34.2 (etcd 3.6.5-0)",
            Map.of()),
        scenario(
            "rich-v1beta4",
            "every kind of v1beta4 setting, mixed-case node name and certSANs, proxy env",
            KUBEADM
                + "; kubeadm copies *_proxy variables (util/env.go GetProxyEnvVars);"
                + " templates KubeadmRelease row v1.34.0 (etcd 3.6.4-0 for v1.34.1)",
            Map.of(
                "HTTPS_PROXY", "http://proxy.corp:3128", "no_proxy", "10.0.0.0/8,.corp.example")),
        scenario(
            "v1beta3",
            "a v1beta3 config: map extraArgs, timeoutForControlPlane",
            KUBEADM
                + "; apis/kubeadm/v1beta3 conversion (extraArgs map to sorted list,"
                + " timeoutForControlPlane to timeouts.controlPlaneComponentHealthCheck,"
                + " kubernetes#133753); templates KubeadmRelease row v1.33.0",
            Map.of()),
        scenario(
            "ipv6",
            "IPv6 advertise address, subnets and control-plane endpoint",
            KUBEADM + "; net.JoinHostPort brackets; etcd listens on [::1] (phases/etcd/local.go)",
            Map.of()),
        scenario(
            "dual-stack",
            "dual-stack service and pod subnets",
            KUBEADM
                + "; the first service subnet gives the apiserver's service IP"
                + " (constants.GetAPIServerVirtualIP)",
            Map.of()),
        scenario(
            "external-etcd",
            "an external etcd cluster",
            KUBEADM + "; external etcd: no etcd pod, no etcd certificates, etcd-certs-N mounts",
            Map.of()),
        scenario(
            "v1.31",
            "Kubernetes v1.31.13 behind a control-plane endpoint",
            KUBEADM + "; " + release("v1.31.13"),
            Map.of()),
        scenario(
            "v1.32",
            "Kubernetes v1.32.9 behind a control-plane endpoint",
            KUBEADM + "; " + release("v1.32.9"),
            Map.of()),
        scenario(
            "v1.33",
            "Kubernetes v1.33.5 behind a control-plane endpoint",
            KUBEADM + "; " + release("v1.33.5"),
            Map.of()),
        scenario(
            "v1.34",
            "Kubernetes v1.34.0 behind a control-plane endpoint",
            KUBEADM + "; " + release("v1.34.0"),
            Map.of()));
  }

  private static String release(String version) {
    return dev.kubeboot.templates.KubernetesVersion.parse(version).kubeadmRelease().source();
  }

  private static Arguments scenario(
      String name, String description, String checkedAgainst, Map<String, String> env) {
    return Arguments.of(name, description, checkedAgainst, env);
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("scenarios")
  void rendersWhatKubeadmWrites(
      String scenario, String description, String checkedAgainst, Map<String, String> env)
      throws IOException {
    Path dir = GOLDEN.resolve(scenario);
    Map<String, String> files = render(dir.resolve("kubeadm.yaml"), env);
    if (UPDATE) {
      for (var e : files.entrySet()) {
        Files.writeString(
            dir.resolve(e.getKey()),
            header(scenario, description, checkedAgainst) + e.getValue(),
            StandardCharsets.UTF_8);
      }
    }
    try (Stream<Path> present = Files.list(dir)) {
      assertThat(
              present.map(p -> p.getFileName().toString()).filter(n -> !n.equals("kubeadm.yaml")))
          .as("golden files of %s", scenario)
          .containsExactlyInAnyOrderElementsOf(files.keySet());
    }
    for (var e : files.entrySet()) {
      String golden = Files.readString(dir.resolve(e.getKey()), StandardCharsets.UTF_8);
      assertThat(golden)
          .as("%s/%s names the kubeadm source it was checked against", scenario, e.getKey())
          .startsWith("# " + scenario + ": ")
          .contains("# checked against: ");
      assertThat(e.getValue())
          .as("%s/%s (rerun with -Dgolden.update=true to accept a change)", scenario, e.getKey())
          .isEqualTo(withoutHeader(golden));
    }
  }

  private static Map<String, String> render(Path configFile, Map<String, String> env) {
    KubeadmConfig read =
        Files.exists(configFile) ? new ConfigReader().read(configFile) : KubeadmConfig.empty();
    KubeadmConfig config =
        new InitConfigLoader(NodePaths.standard(), () -> "master-1", () -> DETECTED)
            .resolve(read, InitFlags.none());
    KubeLayout layout =
        KubeLayout.of(Path.of("/etc/kubernetes"), Path.of(config.cluster().certificatesDir()));
    Map<String, String> files =
        new LinkedHashMap<>(
            new ManifestRenderer()
                .renderAll(
                    ConfigMapping.controlPlaneInputs(config, layout, env, DEBIAN_HOST, false)));
    KubeconfigRenderer kubeconfigs = new KubeconfigRenderer();
    for (KubeconfigPhase.Spec spec : KubeconfigPhase.FILES) {
      files.put(
          spec.fileName(),
          kubeconfigs.render(
              new KubeconfigModel(
                  config.cluster().clusterName(),
                  KubeconfigPhase.server(config, spec),
                  "CA-CERTIFICATE-DATA",
                  KubeconfigPhase.commonName(config, spec),
                  "CLIENT-CERTIFICATE-DATA",
                  "CLIENT-KEY-DATA")));
    }
    files.put("certificates.txt", certificates(config));
    return files;
  }

  /** kubeadm's certificate table as text: subject, signer, usages and alternative names. */
  private static String certificates(KubeadmConfig config) {
    List<String> warnings = new ArrayList<>();
    StringBuilder out = new StringBuilder();
    for (KubeadmCert cert : KubeadmCerts.table(ConfigMapping.certInputs(config), warnings::add)) {
      var spec = cert.spec();
      out.append(cert.baseName()).append(": CN=").append(spec.commonName());
      if (!spec.organizations().isEmpty()) {
        out.append(", O=").append(String.join("+", spec.organizations()));
      }
      out.append(", signed by ")
          .append(cert.isCa() ? "itself" : KubeadmCerts.baseName(cert.caName()));
      if (!spec.extendedKeyUsages().isEmpty()) {
        out.append(", ").append(spec.extendedKeyUsages());
      }
      var sans = spec.subjectAltNames();
      if (!sans.isEmpty()) {
        out.append(", DNS ")
            .append(sans.dnsNames())
            .append(", IP ")
            .append(
                sans.ipAddresses().stream()
                    .map(IpText::format)
                    .collect(Collectors.joining(", ", "[", "]")));
      }
      out.append('\n');
    }
    assertThat(warnings).as("certificate warnings").isEmpty();
    return out.toString();
  }

  private static String header(String scenario, String description, String checkedAgainst) {
    StringBuilder out = new StringBuilder("# " + scenario + ": " + description + "\n");
    StringBuilder line = new StringBuilder("# checked against:");
    for (String word : checkedAgainst.split(" ")) {
      if (line.length() + word.length() + 1 > 98) {
        out.append(line).append('\n');
        line = new StringBuilder("#  ");
      }
      line.append(' ').append(word);
    }
    return out.append(line).append('\n').toString();
  }

  private static String withoutHeader(String golden) {
    int at = 0;
    while (golden.startsWith("#", at)) {
      at = golden.indexOf('\n', at) + 1;
    }
    return golden.substring(at);
  }

  private static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
