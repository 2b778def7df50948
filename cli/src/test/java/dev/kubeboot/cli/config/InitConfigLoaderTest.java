package dev.kubeboot.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class InitConfigLoaderTest {
  private final AtomicInteger detections = new AtomicInteger();
  private final InitConfigLoader defaults =
      new InitConfigLoader(
          NodePaths.standard(),
          () -> "Control-Plane-1\n",
          () -> {
            detections.incrementAndGet();
            return ip("192.168.7.9");
          });
  private final ConfigReader reader = new ConfigReader();

  static InetAddress ip(String text) {
    try {
      return InetAddress.getByName(text);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /** kubeadm's documented example names v1.21.0, which kubeboot does not render: use v1.34.2. */
  private KubeadmConfig documentedExample() {
    KubeadmConfig read =
        reader.read(ConfigReaderTest.resource("v1beta4-documented-example.yaml"), "e.yaml");
    ClusterConfiguration.Builder cluster = read.cluster().toBuilder();
    cluster.kubernetesVersion = dev.kubeboot.templates.KubernetesVersion.parse("v1.34.2");
    return read.with(read.init(), cluster.build());
  }

  private KubeadmConfig noFile() {
    return defaults.resolve(KubeadmConfig.empty(), InitFlags.none());
  }

  static Stream<Arguments> defaultTable() {
    return Stream.of(
        row("kubernetesVersion", c -> c.cluster().kubernetesVersion().text(), "v1.34.2"),
        row("certificatesDir", c -> c.cluster().certificatesDir(), "/etc/kubernetes/pki"),
        row("etcd data dir", c -> ((LocalEtcd) c.cluster().etcd()).dataDir(), "/var/lib/etcd"),
        row("serviceSubnet", c -> c.cluster().networking().serviceSubnet(), "10.96.0.0/12"),
        row("dnsDomain", c -> c.cluster().networking().dnsDomain(), "cluster.local"),
        row("podSubnet", c -> c.cluster().networking().podSubnet(), Optional.empty()),
        row("bindPort", c -> c.init().localAPIEndpoint().bindPort(), 6443),
        row(
            "advertiseAddress (detected)",
            c -> c.init().localAPIEndpoint().advertiseAddress(),
            ip("192.168.7.9")),
        row("imageRepository", c -> c.cluster().imageRepository(), "registry.k8s.io"),
        row("clusterName", c -> c.cluster().clusterName(), "kubernetes"),
        row(
            "encryptionAlgorithm",
            c -> c.cluster().encryptionAlgorithm(),
            EncryptionAlgorithm.RSA_2048),
        row(
            "certificateValidityPeriod",
            c -> c.cluster().certificateValidityPeriod(),
            Duration.ofHours(8760)),
        row(
            "caCertificateValidityPeriod",
            c -> c.cluster().caCertificateValidityPeriod(),
            Duration.ofHours(87600)),
        row("imagePullPolicy", c -> c.init().nodeRegistration().imagePullPolicy(), "IfNotPresent"),
        row(
            "node name (hostname, trimmed and lower-cased)",
            c -> c.init().nodeRegistration().name(),
            "control-plane-1"),
        row(
            "controlPlaneComponentHealthCheck",
            c -> c.init().timeouts().controlPlaneComponentHealthCheck(),
            Duration.ofMinutes(4)),
        row(
            "kubeletHealthCheck",
            c -> c.init().timeouts().kubeletHealthCheck(),
            Duration.ofMinutes(4)),
        row(
            "kubernetesAPICall",
            c -> c.init().timeouts().kubernetesAPICall(),
            Duration.ofMinutes(1)),
        row("etcdAPICall", c -> c.init().timeouts().etcdAPICall(), Duration.ofMinutes(2)),
        row("controlPlaneEndpoint", c -> c.cluster().controlPlaneEndpoint(), Optional.empty()),
        row(
            "imagePullSerial",
            c -> c.init().nodeRegistration().imagePullSerial(),
            Optional.of(true)),
        row(
            "one bootstrap token with kubeadm's ttl, usages and groups",
            c ->
                c.init().bootstrapTokens().stream()
                    .map(t -> List.of(t.ttl(), t.usages(), t.groups()))
                    .toList(),
            List.of(
                List.of(
                    Optional.of(Duration.ofHours(24)),
                    List.of("signing", "authentication"),
                    List.of("system:bootstrappers:kubeadm:default-node-token")))),
        row(
            "a random bootstrap token",
            c ->
                c.init()
                    .bootstrapTokens()
                    .get(0)
                    .token()
                    .orElseThrow()
                    .matches("[a-z0-9]{6}\\.[a-z0-9]{16}"),
            true),
        row(
            "the control-plane taint",
            c -> c.init().nodeRegistration().taints(),
            Optional.of(List.of(DynamicDefaults.CONTROL_PLANE_TAINT))));
  }

  private static Arguments row(String name, Function<KubeadmConfig, Object> get, Object expected) {
    return Arguments.of(name, get, expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("defaultTable")
  void defaultsWithoutAConfigFile(
      String name, Function<KubeadmConfig, Object> get, Object expected) {
    assertThat(get.apply(noFile())).isEqualTo(expected);
  }

  @Test
  void kubeadmsOwnDefaultsAreAFixedPoint() {
    KubeadmConfig read =
        reader.read(ConfigReaderTest.kubeadmDocuments("init-defaults-1.34.yaml"), "d.yaml");

    KubeadmConfig defaulted = defaults.resolve(read, InitFlags.none());

    assertThat(defaulted.cluster().kubernetesVersion().text()).isEqualTo("v1.34.0");
    assertThat(defaulted.init().localAPIEndpoint().advertiseAddress()).isEqualTo(ip("1.2.3.4"));
    assertThat(defaulted.init().nodeRegistration().name()).isEqualTo("node");
    assertThat(defaulted.init().timeouts()).isEqualTo(read.init().timeouts());
    assertThat(defaulted.init().bootstrapTokens()).isEqualTo(read.init().bootstrapTokens());
    assertThat(detections).hasValue(0);
    assertThat(defaulted.cluster())
        .usingRecursiveComparison()
        .ignoringFields("kubernetesVersion")
        .isEqualTo(read.cluster());
  }

  @Test
  void fileValuesBeatDefaults() {
    KubeadmConfig c = defaults.resolve(documentedExample(), InitFlags.none());

    assertThat(c.init().nodeRegistration().name()).isEqualTo("ec2-10-100-0-1");
    assertThat(c.init().localAPIEndpoint()).isEqualTo(new ApiEndpoint(ip("10.100.0.1"), 6443));
    assertThat(c.init().timeouts().controlPlaneComponentHealthCheck())
        .isEqualTo(Duration.ofSeconds(60));
    assertThat(c.init().timeouts().etcdAPICall()).isEqualTo(Duration.ofMinutes(2));
    assertThat(c.cluster().networking())
        .isEqualTo(new Networking("10.96.0.0/16", Optional.of("10.244.0.0/24"), "cluster.local"));
    assertThat(c.cluster().clusterName()).isEqualTo("example-cluster");
    assertThat(c.cluster().encryptionAlgorithm()).isEqualTo(EncryptionAlgorithm.ECDSA_P256);
  }

  @Test
  void aKubernetesDirMovesTheDefaultPathsUnderIt() {
    InitConfigLoader underDir =
        new InitConfigLoader(
            NodePaths.under(java.nio.file.Path.of("/srv/k1")), () -> "n", () -> ip("10.0.0.1"));

    KubeadmConfig c = underDir.resolve(KubeadmConfig.empty(), InitFlags.none());

    assertThat(c.cluster().certificatesDir()).isEqualTo("/srv/k1/pki");
    assertThat(((LocalEtcd) c.cluster().etcd()).dataDir()).isEqualTo("/srv/k1/etcd-data");
  }

  @Test
  void theStandardKubernetesDirKeepsKubeadmsPaths() {
    assertThat(NodePaths.under(java.nio.file.Path.of("/etc/kubernetes/")))
        .isEqualTo(NodePaths.standard());
    assertThat(NodePaths.standard().etcdDataDir()).isEqualTo("/var/lib/etcd");
  }

  @Test
  void theConfigsDataDirWinsOverTheKubernetesDir() {
    InitConfigLoader underDir =
        new InitConfigLoader(
            NodePaths.under(java.nio.file.Path.of("/srv/k1")), () -> "n", () -> ip("10.0.0.1"));
    KubeadmConfig read =
        reader.read(
            "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n"
                + "etcd:\n  local:\n    dataDir: /data/etcd\n",
            "d.yaml");

    KubeadmConfig c = underDir.resolve(read, InitFlags.none());

    assertThat(((LocalEtcd) c.cluster().etcd()).dataDir()).isEqualTo("/data/etcd");
  }

  static Stream<Arguments> flagTable() {
    return Stream.of(
        flag(
            "--kubernetes-version",
            flags().kubernetesVersion("v1.33.4"),
            c -> c.cluster().kubernetesVersion().text(),
            "v1.33.4"),
        flag(
            "--kubernetes-version without v",
            flags().kubernetesVersion("1.32.1"),
            c -> c.cluster().kubernetesVersion().text(),
            "v1.32.1"),
        flag(
            "--apiserver-advertise-address",
            flags().advertise("10.0.0.8"),
            c -> c.init().localAPIEndpoint().advertiseAddress(),
            ip("10.0.0.8")),
        flag(
            "--apiserver-advertise-address IPv6",
            flags().advertise("2001:DB8:0:0:0:0:0:1"),
            c -> c.init().localAPIEndpoint().advertiseAddress(),
            ip("2001:db8::1")),
        flag(
            "--apiserver-advertise-address loopback is kept",
            flags().advertise("127.0.0.1"),
            c -> c.init().localAPIEndpoint().advertiseAddress(),
            ip("127.0.0.1")),
        flag(
            "--apiserver-advertise-address 0.0.0.0 is detected",
            flags().advertise("0.0.0.0"),
            c -> c.init().localAPIEndpoint().advertiseAddress(),
            ip("192.168.7.9")),
        flag(
            "--apiserver-bind-port",
            flags().bindPort(7443),
            c -> c.init().localAPIEndpoint().bindPort(),
            7443),
        flag(
            "--control-plane-endpoint",
            flags().endpoint("lb.example:443"),
            c -> c.cluster().controlPlaneEndpoint().orElseThrow().toString(),
            "lb.example:443"),
        flag(
            "--control-plane-endpoint without a port gets the bind port",
            flags().endpoint("lb.example"),
            c -> c.cluster().controlPlaneEndpoint().orElseThrow().toString(),
            "lb.example:6443"),
        flag(
            "--control-plane-endpoint IPv6 without a port gets the bind port",
            flags().endpoint("2001:db8::100"),
            c -> c.cluster().controlPlaneEndpoint().orElseThrow().toString(),
            "[2001:db8::100]:6443"),
        flag(
            "--apiserver-cert-extra-sans replaces certSANs",
            flags().sans(List.of("a.example", "10.9.9.9")),
            c -> c.cluster().apiServer().certSANs(),
            List.of("a.example", "10.9.9.9")),
        flag(
            "--pod-network-cidr",
            flags().podCidr("192.168.0.0/16"),
            c -> c.cluster().networking().podSubnet(),
            Optional.of("192.168.0.0/16")),
        flag(
            "--service-cidr",
            flags().serviceCidr("10.100.0.0/16"),
            c -> c.cluster().networking().serviceSubnet(),
            "10.100.0.0/16"),
        flag(
            "--service-dns-domain",
            flags().dnsDomain("corp.local"),
            c -> c.cluster().networking().dnsDomain(),
            "corp.local"),
        flag(
            "--node-name",
            flags().nodeName("cp-7"),
            c -> c.init().nodeRegistration().name(),
            "cp-7"),
        flag(
            "--image-repository",
            flags().imageRepository("mirror.example/k8s"),
            c -> c.cluster().imageRepository(),
            "mirror.example/k8s"),
        flag(
            "--cert-dir",
            flags().certDir("/srv/pki"),
            c -> c.cluster().certificatesDir(),
            "/srv/pki"));
  }

  private static Arguments flag(
      String name, FlagsBuilder flags, Function<KubeadmConfig, Object> get, Object expected) {
    return Arguments.of(name, flags.build(), get, expected);
  }

  @ParameterizedTest(name = "{0} overrides the file")
  @MethodSource("flagTable")
  void flagsOverrideTheFile(
      String name, InitFlags flags, Function<KubeadmConfig, Object> get, Object expected) {
    assertThat(get.apply(defaults.resolve(documentedExample(), flags))).isEqualTo(expected);
  }

  static Stream<Arguments> invalidTable() {
    return Stream.of(
        invalid(
            "bindPort above 65535",
            "localAPIEndpoint:\n  bindPort: 70000\n",
            flags(),
            "i.yaml:4: InitConfiguration.localAPIEndpoint.bindPort: invalid value \"70000\""),
        invalid(
            "a negative --apiserver-bind-port",
            "",
            flags().bindPort(-1),
            "--apiserver-bind-port: invalid value \"-1\"; expected a port between 1 and 65535"),
        invalid(
            "a service subnet that is no CIDR",
            "",
            flags().serviceCidr("10.96.0.0"),
            "--service-cidr: invalid value \"10.96.0.0\"; expected a CIDR"),
        invalid(
            "a pod subnet prefix too long",
            "",
            flags().podCidr("10.0.0.0/33"),
            "--pod-network-cidr: invalid value \"10.0.0.0/33\""),
        invalid(
            "three service subnets",
            "",
            flags().serviceCidr("10.0.0.0/16,fd00::/108,10.1.0.0/16"),
            "expected one CIDR, or two"),
        invalid(
            "two IPv4 service subnets",
            "",
            flags().serviceCidr("10.0.0.0/16,10.1.0.0/16"),
            "--service-cidr: invalid value \"10.0.0.0/16,10.1.0.0/16\"",
            "one IPv4, one IPv6"),
        invalid(
            "an octet above 255",
            "",
            flags().advertise("10.0.0.256"),
            "--apiserver-advertise-address: invalid value \"10.0.0.256\""),
        invalid(
            "a version label",
            "",
            flags().kubernetesVersion("stable-1"),
            "--kubernetes-version: invalid value \"stable-1\"",
            "never goes online"),
        invalid(
            "a two-part version",
            "",
            flags().kubernetesVersion("v1.34"),
            "--kubernetes-version: invalid value \"v1.34\""),
        invalid(
            "a version kubeboot does not render",
            "",
            flags().kubernetesVersion("v1.30.2"),
            "--kubernetes-version: invalid value \"v1.30.2\"",
            "v1.31 through v1.34"),
        invalid(
            "a node name that is no DNS name",
            "nodeRegistration:\n  name: Node_1\n",
            flags(),
            "i.yaml:4: InitConfiguration.nodeRegistration.name: invalid value \"node_1\""),
        invalid(
            "a relative cert dir",
            "",
            flags().certDir("pki"),
            "--cert-dir: invalid value \"pki\"; expected an absolute path"),
        invalid(
            "a bad control plane endpoint port",
            "",
            flags().endpoint("lb:99999"),
            "--control-plane-endpoint: invalid value \"lb:99999\"",
            "port 99999 must be a valid number between 1 and 65535"),
        invalid(
            "a bracketed IPv6 control plane endpoint without a port",
            "",
            flags().endpoint("[2001:db8::100]"),
            "--control-plane-endpoint: invalid value \"[2001:db8::100]\"",
            "host '[2001:db8::100]' must be a valid IP address or a valid RFC-1123 DNS subdomain"),
        invalid(
            "an upper-case control plane endpoint host",
            "",
            flags().endpoint("LB.example.com:6443"),
            "--control-plane-endpoint: invalid value \"LB.example.com:6443\""),
        invalid(
            "a zero timeout",
            "timeouts:\n  kubeletHealthCheck: 0s\n",
            flags(),
            "i.yaml:4: InitConfiguration.timeouts.kubeletHealthCheck: invalid value \"0s\";"
                + " expected a positive duration"));
  }

  private static Arguments invalid(
      String name, String initBody, FlagsBuilder flags, String... fragments) {
    return Arguments.of(name, initBody, flags.build(), List.of(fragments));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidTable")
  void rejectsInvalidValues(String name, String initBody, InitFlags flags, List<String> fragments) {
    KubeadmConfig read =
        reader.read(
            "apiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\n" + initBody, "i.yaml");

    assertThatThrownBy(() -> defaults.resolve(read, flags))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(e.getMessage()).contains(fragments));
  }

  @Test
  void aLeafPeriodLongerThanTheCaPeriodIsOnlyAWarning() {
    KubeadmConfig read =
        reader.read(
            "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n"
                + "certificateValidityPeriod: 100000h\ncaCertificateValidityPeriod: 8760h\n",
            "p.yaml");

    KubeadmConfig c = defaults.resolve(read, InitFlags.none());

    assertThat(c.cluster().certificateValidityPeriod()).isEqualTo(Duration.ofHours(100000));
    assertThat(c.warnings())
        .contains(
            "ClusterConfiguration.certificateValidityPeriod (100000h0m0s) is longer than"
                + " caCertificateValidityPeriod (8760h0m0s): certificates will outlive the CA that"
                + " signed them");
  }

  @Test
  void externalEtcdNeedsEndpoints() {
    KubeadmConfig read =
        reader.read(
            "apiVersion: kubeadm.k8s.io/v1beta4\n"
                + "kind: ClusterConfiguration\n"
                + "etcd:\n"
                + "  external:\n"
                + "    caFile: /ca\n",
            "x.yaml");

    assertThatThrownBy(() -> defaults.resolve(read, InitFlags.none()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ClusterConfiguration.etcd.external.endpoints");
  }

  @Test
  void externalEtcdClientFilesFollowKubeadmsRulesEachNamed() {
    KubeadmConfig read =
        reader.read(
            "apiVersion: kubeadm.k8s.io/v1beta4\n"
                + "kind: ClusterConfiguration\n"
                + "etcd:\n"
                + "  external:\n"
                + "    endpoints: [https://10.0.0.5:2379, \"http://etcd-2:2379\"]\n"
                + "    certFile: client.crt\n",
            "x.yaml");

    assertThatThrownBy(() -> defaults.resolve(read, InitFlags.none()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "ClusterConfiguration.etcd.external.keyFile: certFile and keyFile are given together")
        .hasMessageContaining(
            "ClusterConfiguration.etcd.external.certFile: invalid value \"client.crt\"; expected"
                + " an absolute path")
        .hasMessageContaining(
            "ClusterConfiguration.etcd.external.endpoints[1]: invalid value \"http://etcd-2:2379\"");
  }

  @Test
  void externalEtcdCertAndKeyNeedTheCa() {
    KubeadmConfig read =
        reader.read(
            "apiVersion: kubeadm.k8s.io/v1beta4\n"
                + "kind: ClusterConfiguration\n"
                + "etcd:\n"
                + "  external:\n"
                + "    endpoints: [https://10.0.0.5:2379]\n"
                + "    certFile: /etc/etcd/client.crt\n"
                + "    keyFile: /etc/etcd/client.key\n",
            "x.yaml");

    assertThatThrownBy(() -> defaults.resolve(read, InitFlags.none()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "ClusterConfiguration.etcd.external.caFile: required with certFile and keyFile");
  }

  @Test
  void httpsExternalEtcdWithoutClientFilesIsValidAsInKubeadm() {
    KubeadmConfig read =
        reader.read(
            "apiVersion: kubeadm.k8s.io/v1beta4\n"
                + "kind: ClusterConfiguration\n"
                + "etcd:\n"
                + "  external:\n"
                + "    endpoints: [https://10.0.0.5:2379]\n",
            "x.yaml");

    assertThat(defaults.resolve(read, InitFlags.none()).cluster().etcd()).isNotNull();
  }

  @Test
  void plainHttpExternalEtcdTakesNoFilesButCertAndKeyComeTogether() {
    KubeadmConfig plain =
        reader.read(
            "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n"
                + "etcd:\n  external:\n    endpoints: [http://10.0.0.5:2379]\n",
            "x.yaml");
    assertThat(defaults.resolve(plain, InitFlags.none()).cluster().etcd())
        .isInstanceOf(ExternalEtcd.class);

    KubeadmConfig half =
        reader.read(
            "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n"
                + "etcd:\n  external:\n    endpoints: [http://10.0.0.5:2379]\n"
                + "    keyFile: /k.key\n",
            "x.yaml");
    assertThatThrownBy(() -> defaults.resolve(half, InitFlags.none()))
        .hasMessageContaining(
            "ClusterConfiguration.etcd.external.certFile: certFile and keyFile are given together");
  }

  @Test
  void aHostNameThatIsNoNodeNameAsksForTheFlag() {
    InitConfigLoader underscored =
        new InitConfigLoader(NodePaths.standard(), () -> "build_host", () -> ip("10.0.0.1"));

    assertThatThrownBy(() -> underscored.resolve(KubeadmConfig.empty(), InitFlags.none()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("taken from the host name: set --node-name")
        .hasMessageContaining("\"build_host\"");
  }

  @Test
  void anUpperCaseNodeNameIsLowerCasedWithAWarningAsKubeadmDoes() {
    KubeadmConfig read =
        reader.read(
            "apiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\n"
                + "nodeRegistration:\n  name: Master-1\n",
            "n.yaml");

    KubeadmConfig c = defaults.resolve(read, InitFlags.none());

    assertThat(c.init().nodeRegistration().name()).isEqualTo("master-1");
    assertThat(c.warnings())
        .contains(
            "the node name \"Master-1\" is lower-cased to \"master-1\", as kubeadm and the kubelet"
                + " do (Kubernetes object names are lower case)");
  }

  @Test
  void mixedCaseCertSansAreLowerCasedAndKeptAsKubeadmsLowercaseSans() {
    KubeadmConfig read =
        reader.read(
            "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n"
                + "apiServer:\n  certSANs: [LB-Upper.Example.COM, 10.0.0.9]\n",
            "s.yaml");

    KubeadmConfig c = defaults.resolve(read, InitFlags.none());

    assertThat(c.cluster().apiServer().certSANs())
        .containsExactly("lb-upper.example.com", "10.0.0.9");
  }

  @Test
  void everyInvalidValueIsReportedAtOnceWithFileAndLine() {
    KubeadmConfig read =
        reader.read(
            "apiVersion: kubeadm.k8s.io/v1beta4\n"
                + "kind: ClusterConfiguration\n"
                + "kubernetesVersion: v1.29.0\n"
                + "networking:\n"
                + "  serviceSubnet: 10.96.0.0\n"
                + "  podSubnet: 10.244.0.0/40\n"
                + "apiServer:\n"
                + "  certSANs: [bad_name]\n"
                + "featureGates:\n"
                + "  NoSuchGate: true\n",
            "m.yaml");

    assertThatThrownBy(() -> defaults.resolve(read, InitFlags.none()))
        .isInstanceOf(ConfigException.class)
        .satisfies(
            e ->
                assertThat(e.getMessage().lines())
                    .containsExactly(
                        "m.yaml:3: ClusterConfiguration.kubernetesVersion: invalid value"
                            + " \"v1.29.0\"; expected a release kubeboot renders: v1.31 through"
                            + " v1.34 (as kubeadm 1.34), e.g. v1.34.2",
                        "m.yaml:5: ClusterConfiguration.networking.serviceSubnet: invalid value"
                            + " \"10.96.0.0\"; expected a CIDR such as 10.96.0.0/12",
                        "m.yaml:6: ClusterConfiguration.networking.podSubnet: invalid value"
                            + " \"10.244.0.0/40\"; expected a CIDR such as 10.96.0.0/12",
                        "m.yaml:8: ClusterConfiguration.apiServer.certSANs: invalid value"
                            + " \"bad_name\"; expected an IP address, a DNS name or a DNS name with"
                            + " a subdomain wildcard such as *.example.com (DNS names in lower"
                            + " case)",
                        "m.yaml:10: ClusterConfiguration.featureGates.NoSuchGate: unrecognized"
                            + " feature-gate key \"NoSuchGate\"; kubeadm 1.34 knows"
                            + " ControlPlaneKubeletLocalMode, NodeLocalCRISocket, PublicKeysECDSA,"
                            + " RootlessControlPlane, WaitForAllControlPlaneComponents"));
  }

  @Test
  void aStaticPodPathOtherThanTheManifestDirectoryIsRefused() {
    KubeadmConfig read =
        reader.read(
            "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n---\n"
                + "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n"
                + "staticPodPath: /srv/pods\n",
            "k.yaml");

    assertThatThrownBy(() -> defaults.resolve(read, InitFlags.none()))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "k.yaml:6: KubeletConfiguration.staticPodPath: invalid value \"/srv/pods\"; expected"
                + " the manifest directory init writes to, /etc/kubernetes/manifests (it is"
                + " <kubernetes-dir>/manifests; choose it with --kubernetes-dir, or drop"
                + " staticPodPath)");
  }

  @Test
  void theDetectorIsNotCalledWhenAnAddressIsGiven() {
    defaults.resolve(KubeadmConfig.empty(), flags().advertise("10.1.2.3").build());

    assertThat(detections).hasValue(0);
  }

  static FlagsBuilder flags() {
    return new FlagsBuilder();
  }

  /** Builds InitFlags one flag at a time so the tables stay readable. */
  static final class FlagsBuilder {
    private String kubernetesVersion;
    private String advertise;
    private Integer bindPort;
    private String endpoint;
    private List<String> sans;
    private String podCidr;
    private String serviceCidr;
    private String dnsDomain;
    private String nodeName;
    private String imageRepository;
    private String certDir;

    FlagsBuilder kubernetesVersion(String v) {
      kubernetesVersion = v;
      return this;
    }

    FlagsBuilder advertise(String v) {
      advertise = v;
      return this;
    }

    FlagsBuilder bindPort(int v) {
      bindPort = v;
      return this;
    }

    FlagsBuilder endpoint(String v) {
      endpoint = v;
      return this;
    }

    FlagsBuilder sans(List<String> v) {
      sans = v;
      return this;
    }

    FlagsBuilder podCidr(String v) {
      podCidr = v;
      return this;
    }

    FlagsBuilder serviceCidr(String v) {
      serviceCidr = v;
      return this;
    }

    FlagsBuilder dnsDomain(String v) {
      dnsDomain = v;
      return this;
    }

    FlagsBuilder nodeName(String v) {
      nodeName = v;
      return this;
    }

    FlagsBuilder imageRepository(String v) {
      imageRepository = v;
      return this;
    }

    FlagsBuilder certDir(String v) {
      certDir = v;
      return this;
    }

    InitFlags build() {
      return new InitFlags(
          kubernetesVersion,
          advertise,
          bindPort,
          endpoint,
          sans,
          podCidr,
          serviceCidr,
          dnsDomain,
          nodeName,
          imageRepository,
          certDir);
    }
  }
}
