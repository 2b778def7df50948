package dev.kubeboot.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** JoinConfiguration as kubeadm publishes it, in v1beta4 and v1beta3, and what is refused. */
class JoinConfigReaderTest {
  /** kubeadm 1.34's "kubeadm config print join-defaults", with a controlPlane as its docs show. */
  private static final String V1BETA4 =
      """
      apiVersion: kubeadm.k8s.io/v1beta4
      caCertPath: /etc/kubernetes/pki/ca.crt
      discovery:
        bootstrapToken:
          apiServerEndpoint: kube-apiserver:6443
          token: abcdef.0123456789abcdef
          caCertHashes:
          - sha256:7c2e34d4ab7e9e3c6a3b6a6a7a0b2a6f8e1f6a1a9a7a6e2f1d0c9b8a7f6e5d4c
          unsafeSkipCAVerification: false
        tlsBootstrapToken: abcdef.0123456789abcdef
      kind: JoinConfiguration
      controlPlane:
        localAPIEndpoint:
          advertiseAddress: 10.100.0.2
          bindPort: 6443
        certificateKey: e6a2eb8581237ab72a4f494f30285ec12a9694d750b9785706a83bfcbbbd2204
      nodeRegistration:
        criSocket: unix:///var/run/containerd/containerd.sock
        imagePullPolicy: IfNotPresent
        imagePullSerial: true
        name: node2
        taints: null
      timeouts:
        controlPlaneComponentHealthCheck: 4m0s
        discovery: 5m0s
        etcdAPICall: 2m0s
        kubeletHealthCheck: 4m0s
        kubernetesAPICall: 1m0s
        tlsBootstrap: 5m0s
        upgradeManifests: 5m0s
      """;

  /** kubeadm's v1beta3 join-defaults: discovery.timeout instead of timeouts, no dryRun. */
  private static final String V1BETA3 =
      """
      apiVersion: kubeadm.k8s.io/v1beta3
      caCertPath: /etc/kubernetes/pki/ca.crt
      discovery:
        bootstrapToken:
          apiServerEndpoint: kube-apiserver:6443
          token: abcdef.0123456789abcdef
          unsafeSkipCAVerification: true
        timeout: 3m0s
        tlsBootstrapToken: abcdef.0123456789abcdef
      kind: JoinConfiguration
      controlPlane:
        localAPIEndpoint:
          advertiseAddress: 10.100.0.3
          bindPort: 6444
      nodeRegistration:
        criSocket: unix:///var/run/containerd/containerd.sock
        imagePullPolicy: IfNotPresent
        name: node3
        kubeletExtraArgs:
          v: "4"
        taints: []
      """;

  private static JoinConfigReader.Reading read(String yaml) {
    return new JoinConfigReader().read(yaml, "join.yaml");
  }

  @Test
  void v1beta4_join_defaults_with_a_control_plane() throws Exception {
    JoinConfiguration c = read(V1BETA4).config();
    assertThat(c.discovery().apiServerEndpoint()).contains("kube-apiserver:6443");
    assertThat(c.discovery().token()).contains("abcdef.0123456789abcdef");
    assertThat(c.discovery().caCertHashes())
        .containsExactly("sha256:7c2e34d4ab7e9e3c6a3b6a6a7a0b2a6f8e1f6a1a9a7a6e2f1d0c9b8a7f6e5d4c");
    assertThat(c.discovery().unsafeSkipCaVerification()).isFalse();
    assertThat(c.controlPlane()).isPresent();
    assertThat(c.controlPlane().get().localAPIEndpoint().advertiseAddress())
        .isEqualTo(InetAddress.getByName("10.100.0.2"));
    assertThat(c.controlPlane().get().localAPIEndpoint().bindPort()).isEqualTo(6443);
    assertThat(c.controlPlane().get().certificateKey())
        .contains("e6a2eb8581237ab72a4f494f30285ec12a9694d750b9785706a83bfcbbbd2204");
    assertThat(c.nodeRegistration().name()).isEqualTo("node2");
    // taints: null is Go's nil: the control-plane taint by default.
    assertThat(c.nodeRegistration().taints()).isEmpty();
    assertThat(c.effectiveTimeouts().discovery()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.effectiveTimeouts().etcdAPICall()).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void v1beta3_is_read_converted_and_warned_about() {
    JoinConfigReader.Reading reading = read(V1BETA3);
    JoinConfiguration c = reading.config();
    assertThat(c.discovery().unsafeSkipCaVerification()).isTrue();
    assertThat(c.controlPlane().get().localAPIEndpoint().bindPort()).isEqualTo(6444);
    assertThat(c.controlPlane().get().certificateKey()).isEmpty();
    // v1beta3's discovery.timeout is v1beta4's timeouts.discovery.
    assertThat(c.effectiveTimeouts().discovery()).isEqualTo(Duration.ofMinutes(3));
    // kubeletExtraArgs was a map in v1beta3.
    assertThat(c.nodeRegistration().kubeletExtraArgs())
        .extracting(ExtraArg::name, ExtraArg::value)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("v", "4"));
    // taints: [] means no taint at all.
    assertThat(c.nodeRegistration().taints()).contains(List.of());
    assertThat(reading.warnings())
        .anySatisfy(w -> assertThat(w).contains("join.yaml:1: kubeadm.k8s.io/v1beta3"))
        .anySatisfy(w -> assertThat(w).contains("deprecated"));
  }

  @Test
  void a_v1beta4_only_field_in_v1beta3_and_a_typo_are_named_with_line_and_path() {
    String yaml =
        """
        apiVersion: kubeadm.k8s.io/v1beta3
        kind: JoinConfiguration
        dryRun: true
        controlPlane:
          certificatKey: abc
        """;
    assertThatThrownBy(() -> read(yaml))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("join.yaml:3: JoinConfiguration.dryRun")
        .hasMessageContaining("join.yaml:5: JoinConfiguration.controlPlane.certificatKey");
  }

  @Test
  void the_timeout_v1beta4_moved_is_refused_in_v1beta4() {
    String yaml =
        """
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: JoinConfiguration
        discovery:
          timeout: 5m0s
        """;
    assertThatThrownBy(() -> read(yaml))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("join.yaml:4: JoinConfiguration.discovery.timeout");
  }

  @Test
  void other_kinds_are_ignored_with_a_warning_and_a_stream_without_join_configuration_refused() {
    String yaml =
        """
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: InitConfiguration
        ---
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: JoinConfiguration
        nodeRegistration:
          name: n2
        """;
    JoinConfigReader.Reading reading = read(yaml);
    assertThat(reading.config().nodeRegistration().name()).isEqualTo("n2");
    assertThat(reading.config().controlPlane()).isEqualTo(Optional.empty());
    assertThat(reading.warnings())
        .anySatisfy(w -> assertThat(w).contains("Kind=InitConfiguration"));
    assertThatThrownBy(() -> read("apiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("no JoinConfiguration document");
    assertThatThrownBy(() -> read("apiVersion: kubeadm.k8s.io/v1beta2\nkind: JoinConfiguration\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("unsupported apiVersion kubeadm.k8s.io/v1beta2");
  }
}
