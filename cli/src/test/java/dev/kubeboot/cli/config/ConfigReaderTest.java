package dev.kubeboot.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigReaderTest {
  private final ConfigReader reader = new ConfigReader();

  static String resource(String name) {
    try (InputStream in = ConfigReaderTest.class.getResourceAsStream("/config/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** The kubeadm documents of a resource, without the component configs after them. */
  static String kubeadmDocuments(String name) {
    String text = resource(name);
    int components = text.indexOf("---\napiVersion: kubeproxy");
    return components < 0 ? text : text.substring(0, components);
  }

  @Test
  void readsKubeadm134InitDefaults() {
    KubeadmConfig config =
        reader.read(kubeadmDocuments("init-defaults-1.34.yaml"), "defaults.yaml");

    InitConfiguration init = config.init();
    assertThat(init.localAPIEndpoint())
        .isEqualTo(new ApiEndpoint(InitConfigLoaderTest.ip("1.2.3.4"), 6443));
    assertThat(init.nodeRegistration().name()).isEqualTo("node");
    assertThat(init.nodeRegistration().taints()).isEmpty();
    assertThat(init.nodeRegistration().imagePullSerial()).contains(true);
    assertThat(init.bootstrapTokens())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.token()).contains("abcdef.0123456789abcdef");
              assertThat(t.ttl()).contains(Duration.ofHours(24));
              assertThat(t.usages()).containsExactly("signing", "authentication");
            });
    assertThat(init.timeouts())
        .isEqualTo(
            new Timeouts(
                Duration.ofMinutes(4),
                Duration.ofMinutes(4),
                Duration.ofMinutes(1),
                Duration.ofMinutes(2),
                Duration.ofMinutes(5),
                Duration.ofMinutes(5),
                Duration.ofMinutes(5)));
    ClusterConfiguration cluster = config.cluster();
    assertThat(cluster.kubernetesVersion().text()).isEqualTo("1.34.0");
    assertThat(cluster.encryptionAlgorithm()).isEqualTo(EncryptionAlgorithm.RSA_2048);
    assertThat(cluster.certificateValidityPeriod()).isEqualTo(Duration.ofHours(8760));
    assertThat(cluster.caCertificateValidityPeriod()).isEqualTo(Duration.ofHours(87600));
    assertThat(cluster.etcd())
        .isInstanceOfSatisfying(
            LocalEtcd.class, l -> assertThat(l.dataDir()).isEqualTo("/var/lib/etcd"));
    assertThat(cluster.networking())
        .isEqualTo(new Networking("10.96.0.0/12", Optional.empty(), "cluster.local"));
    assertThat(config.staticPodPath()).isEmpty();
    assertThat(config.warnings())
        .anySatisfy(
            w ->
                assertThat(w)
                    .contains("not used by kubeboot")
                    .as("the bootstrap-token phase uses the tokens")
                    .doesNotContain("InitConfiguration.bootstrapTokens")
                    .contains("InitConfiguration.nodeRegistration.criSocket")
                    .contains("InitConfiguration.nodeRegistration.imagePullSerial")
                    .doesNotContain("dns")
                    .doesNotContain("taints"));
  }

  @Test
  void kubeadmsPrintedInitDefaultsWithItsComponentConfigsAreReadAndTheKubeletFieldsNamedOnce() {
    // kubeadm config print init-defaults --component-configs KubeProxyConfiguration,
    // KubeletConfiguration (1.34), unchanged: kubeadm init takes it as it is.
    KubeadmConfig config = reader.read(resource("init-defaults-1.34.yaml"), "defaults.yaml");

    assertThat(config.cgroupDriver()).contains("systemd");
    assertThat(config.staticPodPath()).contains("/etc/kubernetes/manifests");
    assertThat(config.warnings())
        .filteredOn(w -> w.contains("KubeletConfiguration"))
        .containsExactly(
            "defaults.yaml: these KubeletConfiguration fields are not applied by kubeboot's"
                + " runner on this node; they go to the kubelet-config ConfigMap, for the kubelets"
                + " of the nodes that join: KubeletConfiguration.authentication,"
                + " KubeletConfiguration.authorization, KubeletConfiguration.clusterDNS,"
                + " KubeletConfiguration.clusterDomain, KubeletConfiguration.rotateCertificates");
  }

  @Test
  void kubeadmsResetOrUpgradeDefaultsGivenWhereInitsConfigIsReadSayWhichCommandReadsThem() {
    // kubeadm config print reset-defaults (1.34), passed to a command that reads init's file
    assertThatThrownBy(() -> reader.read(resource("reset-defaults-1.34.yaml"), "reset.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "reset.yaml: no InitConfiguration or ClusterConfiguration document (it holds a"
                + " ResetConfiguration at line 6); this command's --config is the configuration"
                + " init used (it reads the certificate directory, etcd and the versions from it):"
                + " pass the file with the InitConfiguration or ClusterConfiguration. A"
                + " JoinConfiguration is read by join --config, a ResetConfiguration by reset"
                + " --config, an UpgradeConfiguration by upgrade --config");
    assertThatThrownBy(() -> reader.read(resource("upgrade-defaults-1.34.yaml"), "up.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(
            "up.yaml: no InitConfiguration or ClusterConfiguration document (it holds an"
                + " UpgradeConfiguration at line 7); this command's --config is");
  }

  @Test
  void kubeletSettingsForTheJoiningKubeletsAreAcceptedAndATypoIsRefusedWithTheFieldItMeant() {
    String kubeadm = "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n---\n";
    String kubelet = "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n";

    KubeadmConfig config =
        reader.read(
            kubeadm
                + kubelet
                + "serverTLSBootstrap: true\nmaxPods: 250\nevictionHard:\n"
                + "  memory.available: 200Mi\nfeatureGates:\n  NodeSwap: true\n",
            "k.yaml");
    assertThat(config.warnings())
        .anySatisfy(
            w ->
                assertThat(w)
                    .endsWith(
                        ": KubeletConfiguration.serverTLSBootstrap, KubeletConfiguration.maxPods,"
                            + " KubeletConfiguration.evictionHard,"
                            + " KubeletConfiguration.featureGates"));

    assertThatThrownBy(
            () ->
                reader.read(
                    kubeadm + kubelet + "clusterDns:\n- 10.96.0.10\nmaxPod: 250\n", "k.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "k.yaml:6: KubeletConfiguration.clusterDns: unknown field \"clusterDns\" (did you mean"
                + " \"clusterDNS\"?); kubelet.config.k8s.io/v1beta1 KubeletConfiguration (kubelet"
                + " 1.34) has no such field\n"
                + "k.yaml:8: KubeletConfiguration.maxPod: unknown field \"maxPod\" (did you mean"
                + " \"maxPods\"?); kubelet.config.k8s.io/v1beta1 KubeletConfiguration (kubelet"
                + " 1.34) has no such field");
  }

  @Test
  void aKubeletConfigurationWithWhatTheRunnerUsesIsRead() {
    KubeadmConfig config =
        reader.read(
            "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n---\n"
                + "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n"
                + "staticPodPath: /etc/kubernetes/manifests\nfileCheckFrequency: 5s\n"
                + "healthzPort: 10248\nhealthzBindAddress: 127.0.0.1\n"
                + "containerLogMaxSize: \"\"\nauthentication:\n  webhook:\n    cacheTTL: 0s\n",
            "k.yaml");

    assertThat(config.staticPodPath()).contains("/etc/kubernetes/manifests");
    assertThat(config.fileCheckFrequency()).contains(Duration.ofSeconds(5));
  }

  @Test
  void containerLogRotationIsPassedToTheRunner() {
    KubeadmConfig config =
        reader.read(
            "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n---\n"
                + "apiVersion: kubelet.config.k8s.io/v1beta1\n"
                + "kind: KubeletConfiguration\n"
                + "containerLogMaxSize: 50Mi\n"
                + "containerLogMaxFiles: 3\n",
            "k.yaml");
    assertThat(config.containerLogs())
        .isEqualTo(new dev.kubeboot.runner.runtime.LogRotation(50L * 1024 * 1024, 3));
    assertThat(KubeadmConfig.empty().containerLogs())
        .isEqualTo(dev.kubeboot.runner.runtime.LogRotation.DEFAULT);
  }

  @Test
  void kubeletSettingsTheRunnerDoesNotImplementOrBadLogSettingsAreRefused() {
    assertThatThrownBy(
            () ->
                reader.read(
                    "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n---\n"
                        + "apiVersion: kubelet.config.k8s.io/v1beta1\n"
                        + "kind: KubeletConfiguration\n"
                        + "cgroupDriver: upstart\n"
                        + "containerLogMaxSize: fifty\n"
                        + "containerLogMaxFiles: 1\n"
                        + "healthzPort: 10250\n",
                    "k.yaml"))
        .isInstanceOf(ConfigException.class)
        .satisfies(
            e ->
                assertThat(e.getMessage().lines())
                    .extracting(l -> l.substring(0, l.indexOf(": ", l.indexOf(": ") + 2)))
                    .containsExactly(
                        "k.yaml:6: KubeletConfiguration.cgroupDriver",
                        "k.yaml:7: KubeletConfiguration.containerLogMaxSize",
                        "k.yaml:8: KubeletConfiguration.containerLogMaxFiles",
                        "k.yaml:9: KubeletConfiguration.healthzPort"));
  }

  @Test
  void readsTheDocumentedV1beta4ExampleWithEveryField() {
    KubeadmConfig config = reader.read(resource("v1beta4-documented-example.yaml"), "example.yaml");

    InitConfiguration init = config.init();
    assertThat(init.bootstrapTokens()).hasSize(2);
    assertThat(init.nodeRegistration().taints())
        .contains(
            List.of(
                new Taint(
                    "kubeadmNode", Optional.of("someValue"), "NoSchedule", Optional.empty())));
    assertThat(init.nodeRegistration().kubeletExtraArgs()).containsExactly(new ExtraArg("v", "5"));
    assertThat(init.nodeRegistration().ignorePreflightErrors()).containsExactly("IsPrivilegedUser");
    assertThat(init.skipPhases()).containsExactly("preflight");
    assertThat(init.certificateKey()).isPresent();
    assertThat(init.timeouts().controlPlaneComponentHealthCheck())
        .isEqualTo(Duration.ofSeconds(60));
    assertThat(init.timeouts().kubernetesAPICall()).isEqualTo(Duration.ofSeconds(40));
    assertThat(init.timeouts().etcdAPICall()).isNull();

    ClusterConfiguration cluster = config.cluster();
    assertThat(cluster.etcd())
        .isEqualTo(
            new LocalEtcd(
                Optional.of("registry.k8s.io"),
                Optional.of("3.2.24"),
                "/var/lib/etcd",
                List.of(new ExtraArg("listen-client-urls", "http://10.100.0.1:2379")),
                List.of(new EnvVar("SOME_VAR", "SOME_VALUE")),
                List.of("ec2-10-100-0-1.compute-1.amazonaws.com"),
                List.of("10.100.0.1")));
    HostPathMount volume =
        new HostPathMount(
            "some-volume", "/etc/some-path", "/etc/some-pod-path", false, Optional.of("File"));
    assertThat(cluster.apiServer())
        .isEqualTo(
            new ApiServer(
                List.of(new ExtraArg("authorization-mode", "Node,RBAC")),
                List.of(volume),
                List.of(new EnvVar("SOME_VAR", "SOME_VALUE")),
                List.of("10.100.1.1", "ec2-10-100-0-1.compute-1.amazonaws.com")));
    assertThat(cluster.controllerManager().extraArgs())
        .containsExactly(new ExtraArg("node-cidr-mask-size", "20"));
    assertThat(cluster.scheduler().extraVolumes()).containsExactly(volume);
    assertThat(cluster.networking().podSubnet()).contains("10.244.0.0/24");
    assertThat(cluster.controlPlaneEndpoint().orElseThrow().toString())
        .isEqualTo("10.100.0.1:6443");
    assertThat(cluster.clusterName()).isEqualTo("example-cluster");
    assertThat(cluster.encryptionAlgorithm()).isEqualTo(EncryptionAlgorithm.ECDSA_P256);
    assertThat(cluster.dns().disabled()).isTrue();
    assertThat(cluster.proxy().disabled()).isTrue();
    assertThat(config.staticPodPath()).isEmpty();
    assertThat(config.warnings())
        .filteredOn(w -> w.contains("not used by kubeboot"))
        .singleElement()
        .satisfies(
            w ->
                assertThat(w)
                    .contains("InitConfiguration.nodeRegistration.kubeletExtraArgs")
                    .as("used by the API-side phases")
                    .doesNotContain(
                        "InitConfiguration.bootstrapTokens",
                        "InitConfiguration.certificateKey",
                        "InitConfiguration.nodeRegistration.taints",
                        "ClusterConfiguration.dns",
                        "ClusterConfiguration.proxy"));
  }

  @Test
  void thePublishedExamplesTypoIsRejectedWithTheRightSpelling() {
    String published =
        resource("v1beta4-documented-example.yaml")
            .replace("  kubernetesAPICall: \"40s\"", "  kubenetesAPICall: \"40s\"");

    assertThatThrownBy(() -> reader.read(published, "example.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("example.yaml:44: InitConfiguration.timeouts.kubenetesAPICall")
        .hasMessageContaining("did you mean \"kubernetesAPICall\"");
  }

  @Test
  void convertsV1beta3() {
    KubeadmConfig config = reader.read(resource("v1beta3-example.yaml"), "v3.yaml");

    assertThat(config.init().nodeRegistration().kubeletExtraArgs())
        .containsExactly(new ExtraArg("v", "4"));
    assertThat(config.init().timeouts().controlPlaneComponentHealthCheck())
        .isEqualTo(Duration.ofMinutes(8));
    ClusterConfiguration cluster = config.cluster();
    assertThat(cluster.apiServer().extraArgs())
        .as("map converted to a list sorted by name")
        .containsExactly(new ExtraArg("authorization-mode", "Node,RBAC"), new ExtraArg("v", "2"));
    assertThat(cluster.controllerManager().extraArgs())
        .containsExactly(new ExtraArg("node-cidr-mask-size", "20"));
    assertThat(((LocalEtcd) cluster.etcd()).extraArgs())
        .containsExactly(new ExtraArg("listen-client-urls", "http://10.100.0.1:2379"));
    assertThat(cluster.encryptionAlgorithm()).as("defaulted later, as in v1beta4").isNull();
    assertThat(cluster.certificateValidityPeriod()).isNull();
    assertThat(cluster.featureGates()).isEqualTo(Map.of("ControlPlaneKubeletLocalMode", true));
    assertThat(config.staticPodPath()).contains("/etc/kubernetes/manifests");
    assertThat(config.fileCheckFrequency()).contains(Duration.ofSeconds(5));
    assertThat(config.warnings())
        .anySatisfy(
            w -> assertThat(w).contains("v3.yaml:4: kubeadm.k8s.io/v1beta3").contains("deprecated"))
        .noneSatisfy(w -> assertThat(w).contains("ClusterConfiguration.featureGates"));
  }

  @Test
  void readsKubeadm129InitDefaultsInV1beta3() {
    KubeadmConfig config = reader.read(resource("init-defaults-1.29-v1beta3.yaml"), "d.yaml");

    assertThat(config.init().timeouts().controlPlaneComponentHealthCheck())
        .isEqualTo(Duration.ofMinutes(4));
    assertThat(config.cluster().kubernetesVersion().text()).isEqualTo("1.29.0");
  }

  @Test
  void aV1beta4TimeoutWinsOverV1beta3TimeoutForControlPlane() {
    String yaml =
        """
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: InitConfiguration
        timeouts:
          controlPlaneComponentHealthCheck: 2m
        ---
        apiVersion: kubeadm.k8s.io/v1beta3
        kind: ClusterConfiguration
        apiServer:
          timeoutForControlPlane: 9m
        """;

    assertThat(reader.read(yaml, "m.yaml").init().timeouts().controlPlaneComponentHealthCheck())
        .isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void aClusterConfigurationAloneIsEnough() {
    KubeadmConfig config =
        reader.read("apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n", "c.yaml");

    assertThat(config.init()).isEqualTo(KubeadmConfig.empty().init());
    assertThat(config.warnings()).isEmpty();
  }

  @Test
  void externalEtcd() {
    String yaml =
        """
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: ClusterConfiguration
        etcd:
          external:
            endpoints: [https://10.0.0.1:2379, https://10.0.0.2:2379]
            caFile: /etc/etcd/ca.crt
            certFile: /etc/etcd/client.crt
            keyFile: /etc/etcd/client.key
        """;

    assertThat(reader.read(yaml, "x.yaml").cluster().etcd())
        .isEqualTo(
            new ExternalEtcd(
                List.of("https://10.0.0.1:2379", "https://10.0.0.2:2379"),
                Optional.of("/etc/etcd/ca.crt"),
                Optional.of("/etc/etcd/client.crt"),
                Optional.of("/etc/etcd/client.key")));
  }

  @Test
  void v1beta4ExtraArgsKeepRepeatsAndOrder() {
    String yaml =
        """
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: ClusterConfiguration
        apiServer:
          extraArgs:
          - name: runtime-config
            value: b
          - name: audit-log-path
            value: 7
          - name: runtime-config
            value: a
        """;

    assertThat(reader.read(yaml, "r.yaml").cluster().apiServer().extraArgs())
        .containsExactly(
            new ExtraArg("runtime-config", "b"),
            new ExtraArg("audit-log-path", "7"),
            new ExtraArg("runtime-config", "a"));
  }

  @Test
  void otherKubeadmKindsAndForeignDocumentsAreIgnoredWithAWarning() {
    String yaml =
        """
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: InitConfiguration
        ---
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: JoinConfiguration
        discovery:
          bootstrapToken:
            token: abcdef.0123456789abcdef
        ---
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: ResetConfiguration
        ---
        apiVersion: v1
        kind: ConfigMap
        ---
        # only a comment
        """;

    KubeadmConfig config = reader.read(yaml, "s.yaml");

    assertThat(config.warnings())
        .containsExactly(
            "s.yaml:4: ignored JoinConfiguration document here: only join --config reads it"
                + " (kubeadm init ignores it too)",
            "s.yaml:10: ignored ResetConfiguration document here: only reset --config reads it"
                + " (kubeadm init ignores it too)",
            "s.yaml:13: ignored document v1, Kind=ConfigMap: kubeboot init does not read this"
                + " kind");
  }

  @Test
  void readsAFileAndNamesItInErrors(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("kubeadm.yaml");
    Files.writeString(
        file, "apiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\nbogus: 1\n");

    assertThatThrownBy(() -> reader.read(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(file + ":3: InitConfiguration.bogus: unknown field");
    assertThatThrownBy(() -> reader.read(dir.resolve("missing.yaml")))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "cannot read the config file "
                + dir.resolve("missing.yaml")
                + ": no such file or directory; check --config");
    assertThatThrownBy(() -> reader.read(dir))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("cannot read the config file " + dir + ": ")
        .hasMessageEndingWith("; check --config");
  }

  @Test
  void everyUnknownFieldOfTheFileIsReportedAtOnce() {
    String yaml =
        """
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: InitConfiguration
        nodeName: x
        localAPIEndpoint:
          bindport: 6443
        ---
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: ClusterConfiguration
        networking:
          podSubnets: 10.244.0.0/16
        apiServer:
          extraVolumes:
          - {name: a, hostPath: /a, mountPath: /a, readonly: true}
        """;

    assertThatThrownBy(() -> reader.read(yaml, "u.yaml"))
        .isInstanceOf(ConfigException.class)
        .satisfies(
            e ->
                assertThat(e.getMessage().lines())
                    .extracting(l -> l.substring(0, l.indexOf(": unknown field")))
                    .containsExactly(
                        "u.yaml:3: InitConfiguration.nodeName",
                        "u.yaml:5: InitConfiguration.localAPIEndpoint.bindport",
                        "u.yaml:10: ClusterConfiguration.networking.podSubnets",
                        "u.yaml:13: ClusterConfiguration.apiServer.extraVolumes[0].readonly"));
  }

  @Test
  void valuesAreTypedWhereTheyAreRead() {
    String yaml =
        """
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: InitConfiguration
        localAPIEndpoint:
          advertiseAddress: node1.example
        ---
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: ClusterConfiguration
        kubernetesVersion: stable-1
        controlPlaneEndpoint: "[2001:db8::100]"
        """;

    assertThatThrownBy(() -> reader.read(yaml, "t.yaml"))
        .isInstanceOf(ConfigException.class)
        .satisfies(
            e ->
                assertThat(e.getMessage().lines())
                    .containsExactly(
                        "t.yaml:4: InitConfiguration.localAPIEndpoint.advertiseAddress: expected an"
                            + " IPv4 or IPv6 address literal such as 192.168.0.10, got"
                            + " \"node1.example\"",
                        "t.yaml:8: ClusterConfiguration.kubernetesVersion: expected a Kubernetes"
                            + " version such as v1.34.2, got \"stable-1\"",
                        "t.yaml:9: ClusterConfiguration.controlPlaneEndpoint: invalid value"
                            + " \"[2001:db8::100]\": host '[2001:db8::100]' must be a valid IP"
                            + " address or a valid RFC-1123 DNS subdomain (an IPv6 address in"
                            + " brackets needs a port: [ADDRESS]:PORT, or drop the brackets);"
                            + " expected an IP address or DNS name with an optional :port, such as"
                            + " lb.example.com:6443"));
  }

  static Stream<Arguments> badInputs() {
    String init = "apiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\n";
    String cluster = "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n";
    String cluster3 = "apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\n";
    return Stream.of(
        bad(
            "an unknown top-level field",
            init + "nodeName: x\n",
            "bad.yaml:3: InitConfiguration.nodeName: unknown field"),
        bad(
            "an unknown field deep in a list item",
            cluster
                + "apiServer:\n"
                + "  extraVolumes:\n"
                + "  - name: a\n"
                + "    hostPath: /a\n"
                + "    mountPath: /a\n"
                + "    readonly: true\n",
            "bad.yaml:8: ClusterConfiguration.apiServer.extraVolumes[0].readonly: unknown field",
            "did you mean \"readOnly\""),
        bad(
            "an unknown field in local etcd",
            cluster + "etcd:\n  local:\n    datadir: /x\n",
            "bad.yaml:5: ClusterConfiguration.etcd.local.datadir: unknown field"),
        bad(
            "a v1beta4-only field in v1beta3",
            cluster3 + "encryptionAlgorithm: RSA-4096\n",
            "bad.yaml:3: ClusterConfiguration.encryptionAlgorithm: unknown field",
            "exists only in kubeadm.k8s.io/v1beta4"),
        bad(
            "timeoutForControlPlane in v1beta4",
            cluster + "apiServer:\n  timeoutForControlPlane: 4m\n",
            "bad.yaml:4: ClusterConfiguration.apiServer.timeoutForControlPlane: unknown field",
            "InitConfiguration.timeouts.controlPlaneComponentHealthCheck"),
        bad(
            "a string where a list is expected",
            cluster + "apiServer:\n  certSANs: foo.example\n",
            "bad.yaml:4: ClusterConfiguration.apiServer.certSANs: expected a list of strings, got"
                + " \"foo.example\""),
        bad(
            "a v1beta3 map in v1beta4 extraArgs",
            cluster + "apiServer:\n  extraArgs:\n    v: \"2\"\n",
            "bad.yaml:5: ClusterConfiguration.apiServer.extraArgs: expected a list of {name, value}"
                + " (v1beta4), got a mapping"),
        bad(
            "a list for a name in the third extra arg",
            cluster
                + "apiServer:\n"
                + "  extraArgs:\n"
                + "  - {name: a, value: b}\n"
                + "  - {name: c, value: d}\n"
                + "  - name: [x]\n"
                + "    value: y\n",
            "bad.yaml:7: ClusterConfiguration.apiServer.extraArgs[2].name: expected a string, got a"
                + " list"),
        bad(
            "an extra arg without a name",
            cluster + "scheduler:\n  extraArgs:\n  - value: y\n",
            "bad.yaml:5: ClusterConfiguration.scheduler.extraArgs[0].name: required field is"
                + " missing"),
        bad(
            "letters for bindPort",
            init + "localAPIEndpoint:\n  bindPort: abc\n",
            "bad.yaml:4: InitConfiguration.localAPIEndpoint.bindPort: expected an integer, got"
                + " \"abc\""),
        bad(
            "a quoted bindPort",
            init + "localAPIEndpoint:\n  bindPort: \"6443\"\n",
            "bad.yaml:4: InitConfiguration.localAPIEndpoint.bindPort: expected an integer, got the"
                + " quoted string \"6443\""),
        bad(
            "a duration without a unit",
            init + "timeouts:\n  kubeletHealthCheck: 240\n",
            "bad.yaml:4: InitConfiguration.timeouts.kubeletHealthCheck: expected a duration such as"
                + " 4m0s",
            "got \"240\""),
        bad(
            "a duration with days",
            cluster + "certificateValidityPeriod: 365d\n",
            "bad.yaml:3: ClusterConfiguration.certificateValidityPeriod: expected a duration",
            "\"365d\""),
        bad(
            "an unknown encryption algorithm",
            cluster + "encryptionAlgorithm: rsa-2048\n",
            "bad.yaml:3: ClusterConfiguration.encryptionAlgorithm: expected one of RSA-2048,"
                + " RSA-3072, RSA-4096, ECDSA-P256, ECDSA-P384, got \"rsa-2048\""),
        bad(
            "a bad image pull policy",
            init + "nodeRegistration:\n  imagePullPolicy: Sometimes\n",
            "bad.yaml:4: InitConfiguration.nodeRegistration.imagePullPolicy: expected one of"
                + " Always, IfNotPresent, Never"),
        bad(
            "a bad host path type",
            cluster
                + "scheduler:\n"
                + "  extraVolumes:\n"
                + "  - {name: a, hostPath: /a, mountPath: /a, pathType: Dir}\n",
            "bad.yaml:5: ClusterConfiguration.scheduler.extraVolumes[0].pathType: expected one of"
                + " DirectoryOrCreate"),
        bad(
            "a string for a boolean",
            init + "dryRun: maybe\n",
            "bad.yaml:3: InitConfiguration.dryRun: expected true or false, got \"maybe\""),
        bad(
            "valueFrom in an env var",
            cluster
                + "etcd:\n"
                + "  local:\n"
                + "    extraEnvs:\n"
                + "    - name: TOKEN\n"
                + "      valueFrom:\n"
                + "        secretKeyRef: {name: s, key: k}\n",
            "bad.yaml:7: ClusterConfiguration.etcd.local.extraEnvs[0].valueFrom: not supported: a"
                + " static pod cannot reference API objects"),
        bad(
            "both local and external etcd",
            cluster + "etcd:\n  local: {}\n  external: {endpoints: [a]}\n",
            "bad.yaml:4: ClusterConfiguration.etcd: local and external are mutually exclusive"),
        bad(
            "a field given twice",
            cluster + "clusterName: a\nclusterName: b\n",
            "bad.yaml:4: ClusterConfiguration.clusterName: field given twice (first at line 3)"),
        bad(
            "v1beta2",
            "apiVersion: kubeadm.k8s.io/v1beta2\nkind: InitConfiguration\n",
            "bad.yaml:1: kubeadm.k8s.io/v1beta2 (kind InitConfiguration) is an old kubeadm API",
            "supported are kubeadm.k8s.io/v1beta4 and kubeadm.k8s.io/v1beta3"),
        bad(
            "an unknown kubeadm version",
            "apiVersion: kubeadm.k8s.io/v2\nkind: InitConfiguration\n",
            "bad.yaml:1: unknown kubeadm API version kubeadm.k8s.io/v2; supported are"),
        bad(
            "a document without kind",
            init + "---\napiVersion: kubeadm.k8s.io/v1beta4\nclusterName: x\n",
            "bad.yaml:4: document without kind"),
        bad(
            "a document without apiVersion",
            "kind: ClusterConfiguration\n",
            "bad.yaml:1: document without apiVersion"),
        bad(
            "a second InitConfiguration",
            init + "---\n" + init,
            "bad.yaml:4: a second InitConfiguration document (the first is at line 1)"),
        bad(
            "an unknown kubeadm kind",
            "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterStatus\n",
            "bad.yaml:1: unknown kind ClusterStatus in kubeadm.k8s.io/v1beta4"),
        bad(
            "a list as a document",
            "- a\n- b\n",
            "bad.yaml:1: a config document must be a mapping"),
        bad("invalid YAML", init + "nodeRegistration: [a\n", "bad.yaml:4: not valid YAML"),
        bad(
            "no kubeadm document at all",
            "apiVersion: v1\nkind: ConfigMap\n",
            "bad.yaml: no InitConfiguration or ClusterConfiguration document"),
        bad(
            "a bad KubeletConfiguration version",
            init + "---\napiVersion: kubelet.config.k8s.io/v1\nkind: KubeletConfiguration\n",
            "bad.yaml:4: apiVersion kubelet.config.k8s.io/v1 is not supported for"
                + " KubeletConfiguration"),
        bad(
            "a list as staticPodPath",
            init
                + "---\n"
                + "apiVersion: kubelet.config.k8s.io/v1beta1\n"
                + "kind: KubeletConfiguration\n"
                + "staticPodPath: [a]\n",
            "bad.yaml:6: KubeletConfiguration.staticPodPath: expected a string, got a list"),
        bad(
            "a bad taint effect",
            init + "nodeRegistration:\n  taints:\n  - {key: a, effect: Never}\n",
            "bad.yaml:5: InitConfiguration.nodeRegistration.taints[0].effect: expected one of"
                + " NoSchedule"),
        bad(
            "a feature gate that is not a boolean",
            cluster + "featureGates:\n  Foo: enabled\n",
            "bad.yaml:4: ClusterConfiguration.featureGates.Foo: expected true or false"));
  }

  private static Arguments bad(String name, String yaml, String... fragments) {
    return Arguments.of(name, yaml, List.of(fragments));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badInputs")
  void rejects(String name, String yaml, List<String> fragments) {
    assertThatThrownBy(() -> reader.read(yaml, "bad.yaml"))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(e.getMessage()).contains(fragments));
  }
}
