package dev.kubeboot.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ResetConfigReaderTest {
  private final ResetConfigReader reader = new ResetConfigReader();

  private ResetConfigReader.Reading read(String yaml) {
    return reader.read(yaml, "reset.yaml");
  }

  @Test
  void kubeadmsOwnResetDefaultsAreReadAndTheFieldsKubebootHasNoUseForAreNamed() {
    // kubeadm 1.34 `config print reset-defaults`, as a kubeadm user passes it to reset --config
    ResetConfigReader.Reading reading = read(ConfigReaderTest.resource("reset-defaults-1.34.yaml"));

    ResetConfiguration config = reading.config().orElseThrow();
    assertThat(config.certificatesDir()).contains("/etc/kubernetes/pki");
    assertThat(config.criSocket()).contains("unix:///var/run/containerd/containerd.sock");
    assertThat(config.force()).isFalse();
    assertThat(config.timeouts().etcdAPICall()).isEqualTo(Duration.ofMinutes(2));
    assertThat(reading.holdsInitConfiguration()).isFalse();
    assertThat(reading.warnings())
        .containsExactly(
            "reset.yaml: these fields are accepted for kubeadm compatibility but not used by"
                + " kubeboot: ResetConfiguration.criSocket");
  }

  @Test
  void kubebootsOwnResetDefaultsReadBack() {
    ResetConfigReader.Reading reading = read(ActionDefaultsPrinter.resetDefaults());
    assertThat(reading.config().orElseThrow().certificatesDir()).contains("/etc/kubernetes/pki");
  }

  @Test
  void everyFieldIsRead() {
    String yaml =
        """
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: ResetConfiguration
        cleanupTmpDir: true
        certificatesDir: /srv/pki
        dryRun: true
        force: true
        ignorePreflightErrors: [IsPrivilegedUser]
        skipPhases:
        - remove-etcd-member
        unmountFlags: [MNT_DETACH, UMOUNT_NOFOLLOW]
        timeouts:
          etcdAPICall: 30s
        """;
    ResetConfiguration config = read(yaml).config().orElseThrow();
    assertThat(config)
        .isEqualTo(
            new ResetConfiguration(
                true,
                Optional.of("/srv/pki"),
                Optional.empty(),
                true,
                true,
                List.of("IsPrivilegedUser"),
                List.of("remove-etcd-member"),
                List.of("MNT_DETACH", "UMOUNT_NOFOLLOW"),
                new Timeouts(null, null, null, Duration.ofSeconds(30), null, null, null)));
  }

  @Test
  void badFieldsAreAllNamedWithLineAndPath() {
    String yaml =
        """
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: ResetConfiguration
        forse: true
        cleanupTmpDir: yes please
        certificatesDir: pki
        unmountFlags: [MNT_LAZY]
        timeouts:
          etcdAPICall: soon
        """;
    assertThatThrownBy(() -> read(yaml))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("reset.yaml:3: ResetConfiguration.forse")
        .hasMessageContaining("reset.yaml:4: ResetConfiguration.cleanupTmpDir")
        .hasMessageContaining(
            "reset.yaml:5: ResetConfiguration.certificatesDir: expected an absolute path")
        .hasMessageContaining(
            "reset.yaml:6: ResetConfiguration.unmountFlags: \"MNT_LAZY\" is not an unmount flag;"
                + " kubeadm allows MNT_FORCE, MNT_DETACH, MNT_EXPIRE, UMOUNT_NOFOLLOW")
        .hasMessageContaining("reset.yaml:8: ResetConfiguration.timeouts.etcdAPICall");
  }

  @Test
  void resetConfigurationExistsOnlyInV1beta4AndOnlyOnce() {
    assertThatThrownBy(
            () ->
                read("apiVersion: kubeadm.k8s.io/v1beta3\nkind: ResetConfiguration\nforce: true\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "reset.yaml:1: unsupported apiVersion kubeadm.k8s.io/v1beta3 for ResetConfiguration;"
                + " kubeadm has it only in kubeadm.k8s.io/v1beta4");
    String twice =
        """
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: ResetConfiguration
        ---
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: ResetConfiguration
        """;
    assertThatThrownBy(() -> read(twice))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "reset.yaml:4: a second ResetConfiguration document (the first is at line 1); give it"
                + " once");
  }

  @Test
  void besideInitsConfigurationTheOtherDocumentsAreLeftToItsReader() {
    String yaml =
        """
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: ClusterConfiguration
        certificatesDir: /srv/pki
        ---
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: ResetConfiguration
        force: true
        """;
    ResetConfigReader.Reading reading = read(yaml);
    assertThat(reading.holdsInitConfiguration()).isTrue();
    assertThat(reading.config().orElseThrow().force()).isTrue();
    assertThat(reading.warnings()).isEmpty();
    // ... and that reader, asked for reset, does not call the ResetConfiguration ignored.
    KubeadmConfig init = new ConfigReader("ResetConfiguration").read(yaml, "reset.yaml");
    assertThat(init.warnings()).noneMatch(w -> w.contains("ResetConfiguration"));
  }

  @Test
  void withoutInitsConfigurationOtherDocumentsAreIgnoredWithAWarning() {
    String yaml =
        """
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: ResetConfiguration
        ---
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: UpgradeConfiguration
        """;
    assertThat(read(yaml).warnings())
        .containsExactly(
            "reset.yaml:4: ignored document kubeadm.k8s.io/v1beta4, Kind=UpgradeConfiguration:"
                + " kubeboot reset reads ResetConfiguration (and init's configuration)");
  }

  @Test
  void aFileWithoutOneIsNoResetConfiguration() {
    ResetConfigReader.Reading reading =
        read("apiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\n");
    assertThat(reading.config()).isEmpty();
    assertThat(reading.holdsInitConfiguration()).isTrue();
  }
}
