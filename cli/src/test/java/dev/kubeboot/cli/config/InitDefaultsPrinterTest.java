package dev.kubeboot.cli.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class InitDefaultsPrinterTest {
  private final ConfigReader reader = new ConfigReader();
  private final InitDefaultsPrinter printer = new InitDefaultsPrinter();
  private final InitConfigLoader defaults =
      new InitConfigLoader(
          NodePaths.standard(), () -> "node", () -> InitConfigLoaderTest.ip("1.2.3.4"));

  @Test
  void printsWhatKubeadm134PrintsLineForLine() {
    String kubeadm = ConfigReaderTest.resource("init-defaults-1.34.yaml");
    String kubeadmDocs = kubeadm.substring(0, kubeadm.indexOf("---\napiVersion: kubeproxy"));

    assertThat(printer.print(InitConfigLoader.printedDefaults())).isEqualTo(kubeadmDocs);
  }

  @Test
  void reprintsKubeadms134OutputLineForLine() {
    String kubeadmDocs = ConfigReaderTest.kubeadmDocuments("init-defaults-1.34.yaml");
    KubeadmConfig read = reader.read(kubeadmDocs, "d.yaml");

    assertThat(printer.print(read)).isEqualTo(kubeadmDocs);
  }

  static Stream<Arguments> streams() {
    return Stream.of(
        Arguments.of("kubeadm 1.34 init-defaults", "init-defaults-1.34.yaml"),
        Arguments.of("kubeadm 1.29 init-defaults in v1beta3", "init-defaults-1.29-v1beta3.yaml"),
        Arguments.of("the documented v1beta4 example", "v1beta4-documented-example.yaml"),
        Arguments.of("a v1beta3 example with kubelet settings", "v1beta3-example.yaml"));
  }

  @ParameterizedTest(name = "{0}: print then read gives the same config")
  @MethodSource("streams")
  void roundTrip(String name, String resource) {
    KubeadmConfig defaulted =
        defaults.resolve(
            supported(reader.read(ConfigReaderTest.kubeadmDocuments(resource), resource)),
            InitFlags.none());

    KubeadmConfig reread = reader.read(printer.print(defaulted), "printed.yaml");

    assertThat(reread.init()).isEqualTo(defaulted.init());
    assertThat(reread.cluster()).isEqualTo(defaulted.cluster());
    assertThat(reread.staticPodPath()).isEqualTo(defaulted.staticPodPath());
    assertThat(reread.fileCheckFrequency()).isEqualTo(defaulted.fileCheckFrequency());
    assertThat(defaults.resolve(reread, InitFlags.none()).cluster()).isEqualTo(defaulted.cluster());
  }

  /** Examples older than v1.31 are moved to v1.34.0, which kubeboot renders. */
  private static KubeadmConfig supported(KubeadmConfig read) {
    var version = read.cluster().kubernetesVersion();
    if (version == null || version.isSupported()) {
      return read;
    }
    ClusterConfiguration.Builder cluster = read.cluster().toBuilder();
    cluster.kubernetesVersion = dev.kubeboot.templates.KubernetesVersion.parse("v1.34.0");
    return read.with(read.init(), cluster.build());
  }
}
