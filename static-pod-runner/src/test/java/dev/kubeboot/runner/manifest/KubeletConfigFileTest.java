package dev.kubeboot.runner.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class KubeletConfigFileTest {
  @TempDir Path tmp;

  Path write(String content) throws Exception {
    return Files.writeString(tmp.resolve("config.yaml"), content);
  }

  @Test
  void readsStaticPodPathAndFileCheckFrequencyAndIgnoresTheRest() throws Exception {
    Path file =
        write(
            """
            apiVersion: kubelet.config.k8s.io/v1beta1
            kind: KubeletConfiguration
            staticPodPath: /etc/kubernetes/manifests
            fileCheckFrequency: 1m0s
            cgroupDriver: systemd
            authentication: {anonymous: {enabled: false}}
            clusterDNS: [10.96.0.10]
            """);
    assertThat(KubeletConfigFile.read(file))
        .isEqualTo(
            new KubeletConfigFile(
                Optional.of(Path.of("/etc/kubernetes/manifests")),
                Optional.of(Duration.ofMinutes(1)),
                Optional.empty(),
                Optional.empty(),
                Optional.of("systemd")));
  }

  @Test
  void containerLogRotationIsReadAsTheKubeletSpellsIt() throws Exception {
    Path file =
        write(
            """
            apiVersion: kubelet.config.k8s.io/v1beta1
            kind: KubeletConfiguration
            containerLogMaxSize: 5Mi
            containerLogMaxFiles: 3
            """);
    KubeletConfigFile config = KubeletConfigFile.read(file);
    assertThat(config.containerLogMaxSize()).contains(5L * 1024 * 1024);
    assertThat(config.containerLogMaxFiles()).contains(3);
  }

  @Test
  void aBadContainerLogSettingNamesTheField() throws Exception {
    Path size =
        write(
            "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n"
                + "containerLogMaxSize: ten megs\n");
    assertThatThrownBy(() -> KubeletConfigFile.read(size))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("containerLogMaxSize")
        .hasMessageContaining("ten megs");
    Path files =
        write(
            "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n"
                + "containerLogMaxFiles: 1\n");
    assertThatThrownBy(() -> KubeletConfigFile.read(files))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("containerLogMaxFiles")
        .hasMessageContaining("at least 2");
  }

  @Test
  void bothFieldsAreOptional() throws Exception {
    Path file = write("apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n");
    assertThat(KubeletConfigFile.read(file))
        .isEqualTo(
            new KubeletConfigFile(
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty()));
  }

  @Test
  void aRelativeStaticPodPathIsResolvedAgainstTheConfigFile() throws Exception {
    Path file =
        write(
            "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nstaticPodPath: manifests\n");
    assertThat(KubeletConfigFile.read(file).staticPodPath())
        .contains(tmp.toAbsolutePath().resolve("manifests"));
  }

  static Stream<Arguments> badConfigs() {
    return Stream.of(
        Arguments.of(
            "a kubeadm config is not a kubelet config",
            "apiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\n",
            "kind: \"InitConfiguration\" is not KubeletConfiguration"),
        Arguments.of(
            "another apiVersion",
            "apiVersion: kubelet.config.k8s.io/v1\nkind: KubeletConfiguration\n",
            "apiVersion: \"kubelet.config.k8s.io/v1\" is not kubelet.config.k8s.io/v1beta1"),
        Arguments.of(
            "a duration without a unit",
            "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nfileCheckFrequency: \"20\"\n",
            "fileCheckFrequency: \"20\" is not a duration"),
        Arguments.of(
            "a duration that is a number",
            "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nfileCheckFrequency: 20\n",
            "fileCheckFrequency: must be a string"),
        Arguments.of(
            "a zero duration",
            "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nfileCheckFrequency: 0s\n",
            "must be positive"),
        Arguments.of(
            "a staticPodPath that is a list",
            "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nstaticPodPath: [a]\n",
            "staticPodPath: must be a string"),
        Arguments.of("an empty file", "", "file is empty"),
        Arguments.of("invalid YAML", "kind: [\n", "invalid YAML"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badConfigs")
  void refused(String sentence, String content, String reason) throws Exception {
    Path file = write(content);
    assertThatThrownBy(() -> KubeletConfigFile.read(file))
        .isInstanceOf(ManifestException.class)
        .hasMessageStartingWith(file + ": ")
        .hasMessageContaining(reason);
  }

  @Test
  void aMissingFileIsNamed() {
    Path file = tmp.resolve("absent.yaml");
    assertThatThrownBy(() -> KubeletConfigFile.read(file))
        .hasMessage(file + ": kubelet config file does not exist");
  }

  @Test
  void aCgroupDriverOtherThanCgroupfsOrSystemdIsNamed() throws Exception {
    Path file =
        write(
            "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n"
                + "cgroupDriver: systemd-ish\n");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> KubeletConfigFile.read(file))
        .hasMessageContaining("cgroupDriver")
        .hasMessageContaining("\"systemd-ish\" is neither cgroupfs nor systemd");
  }
}
