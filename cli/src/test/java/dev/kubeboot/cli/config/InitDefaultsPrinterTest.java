package dev.kubeboot.cli.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class InitDefaultsPrinterTest {
  private final ConfigReader reader = new ConfigReader();
  private final InitDefaultsPrinter printer = new InitDefaultsPrinter();
  private final ConfigDefaults defaults =
      new ConfigDefaults(
          () -> "node",
          () -> {
            try {
              return InetAddress.getByName("1.2.3.4");
            } catch (UnknownHostException e) {
              throw new AssertionError(e);
            }
          });

  @Test
  void printsTheDefaultsInKubeadmsLayout() {
    String printed = printer.print(defaults.apply(KubeadmConfig.empty(), InitFlags.none()));

    assertThat(printed)
        .isEqualTo(
            """
            apiVersion: kubeadm.k8s.io/v1beta4
            kind: InitConfiguration
            localAPIEndpoint:
              advertiseAddress: 1.2.3.4
              bindPort: 6443
            nodeRegistration:
              imagePullPolicy: IfNotPresent
              name: node
              taints: null
            timeouts:
              controlPlaneComponentHealthCheck: 4m0s
              discovery: 5m0s
              etcdAPICall: 2m0s
              kubeletHealthCheck: 4m0s
              kubernetesAPICall: 1m0s
              tlsBootstrap: 5m0s
              upgradeManifests: 5m0s
            ---
            apiServer: {}
            apiVersion: kubeadm.k8s.io/v1beta4
            caCertificateValidityPeriod: 87600h0m0s
            certificateValidityPeriod: 8760h0m0s
            certificatesDir: /etc/kubernetes/pki
            clusterName: kubernetes
            controllerManager: {}
            dns: {}
            encryptionAlgorithm: RSA-2048
            etcd:
              local:
                dataDir: /var/lib/etcd
            imageRepository: registry.k8s.io
            kind: ClusterConfiguration
            kubernetesVersion: v1.34.2
            networking:
              dnsDomain: cluster.local
              serviceSubnet: 10.96.0.0/12
            proxy: {}
            scheduler: {}
            """);
  }

  @Test
  void reprintsKubeadms134OutputLineForLine() {
    String kubeadm = ConfigReaderTest.resource("init-defaults-1.34.yaml");
    String kubeadmDocs = kubeadm.substring(0, kubeadm.indexOf("---\napiVersion: kubeproxy"));
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
        defaults.apply(
            reader.read(ConfigReaderTest.resource(resource), resource), InitFlags.none());

    KubeadmConfig reread = reader.read(printer.print(defaulted), "printed.yaml");

    assertThat(reread.init()).isEqualTo(defaulted.init());
    assertThat(reread.cluster()).isEqualTo(defaulted.cluster());
    assertThat(reread.staticPodPath()).isEqualTo(defaulted.staticPodPath());
    assertThat(reread.fileCheckFrequency()).isEqualTo(defaulted.fileCheckFrequency());
    assertThat(defaults.apply(reread, InitFlags.none()).cluster()).isEqualTo(defaulted.cluster());
  }
}
