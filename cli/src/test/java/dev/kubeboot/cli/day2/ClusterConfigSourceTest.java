package dev.kubeboot.cli.day2;

import static dev.kubeboot.cli.CliRun.kubeboot;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeboot.cli.CliRun;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * certs renew and check-expiration without --config read the cluster's uploaded
 * ClusterConfiguration, as kubeadm does: a renewal on an ECDSA cluster with a short validity period
 * keeps both, and an unreachable cluster falls back to the defaults, said so.
 */
class ClusterConfigSourceTest {
  private static final String ECDSA_CLUSTER =
      """
      apiVersion: kubeadm.k8s.io/v1beta4
      kind: ClusterConfiguration
      encryptionAlgorithm: ECDSA-P256
      certificateValidityPeriod: 100h0m0s
      """;

  @TempDir Path dir;
  private KubernetesMockServer server;
  private KubernetesClient client;
  private Path kube;

  @BeforeEach
  void start() throws Exception {
    server = CrudApiServer.start();
    client = server.createClient();
    kube = dir.resolve("kubernetes");
    Path config = dir.resolve("ecdsa.yaml");
    Files.writeString(config, ECDSA_CLUSTER);
    CliRun certs =
        kubeboot(
            "init",
            "phase",
            "certs",
            "all",
            "--config",
            config.toString(),
            "--kubernetes-dir",
            kube.toString());
    assertThat(certs.code()).as(certs.err()).isZero();
    CliRun kubeconfigs =
        kubeboot(
            "init",
            "phase",
            "kubeconfig",
            "all",
            "--config",
            config.toString(),
            "--kubernetes-dir",
            kube.toString());
    assertThat(kubeconfigs.code()).as(kubeconfigs.err()).isZero();
  }

  @AfterEach
  void stop() {
    client.close();
    server.destroy();
  }

  /** admin.conf as init wrote it (its client certificate too), its server moved to {@code url}. */
  private void adminConfFor(String url) throws Exception {
    Path admin = kube.resolve("admin.conf");
    Files.writeString(
        admin, Files.readString(admin).replaceFirst("(?m)^(\\s*server: ).*$", "$1" + url));
  }

  private void upload(String clusterConfiguration) {
    client
        .configMaps()
        .inNamespace("kube-system")
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("kubeadm-config")
                .withNamespace("kube-system")
                .endMetadata()
                .withData(Map.of("ClusterConfiguration", clusterConfiguration))
                .build())
        .create();
  }

  private X509Certificate apiserver() throws Exception {
    byte[] pem = Files.readAllBytes(kube.resolve("pki/apiserver.crt"));
    return (X509Certificate)
        CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem));
  }

  private static Duration validity(X509Certificate cert) {
    return Duration.between(cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant());
  }

  @Test
  void renewKeepsTheUploadedAlgorithmAndValidity() throws Exception {
    adminConfFor(client.getMasterUrl().toString().replaceAll("/$", ""));
    upload(ECDSA_CLUSTER);
    byte[] before = Files.readAllBytes(kube.resolve("pki/apiserver.crt"));

    CliRun renew =
        kubeboot(
            "certs", "renew", "apiserver", "--no-restart", "--kubernetes-dir", kube.toString());

    assertThat(renew.code()).as(renew.err()).isZero();
    assertThat(renew.out())
        .startsWith(
            """
            [renew] Reading configuration from the "kubeadm-config" ConfigMap in namespace \
            "kube-system"...
            [renew] Use 'kubeboot init phase upload-config kubeadm --config your-config-file' to \
            re-upload it.

            """)
        .doesNotContain("Falling back");
    assertThat(Files.readAllBytes(kube.resolve("pki/apiserver.crt"))).isNotEqualTo(before);
    X509Certificate renewed = apiserver();
    assertThat(renewed.getPublicKey().getAlgorithm()).isEqualTo("EC");
    // kubeadm backdates notBefore by a few minutes; the period is 100 h either way.
    assertThat(validity(renewed)).isBetween(Duration.ofHours(100), Duration.ofHours(101));
  }

  @Test
  void anUnreachableClusterFallsBackToTheDefaultsAndSaysSo() throws Exception {
    int closedPort;
    try (var socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    adminConfFor("http://127.0.0.1:" + closedPort);

    CliRun renew =
        kubeboot(
            "certs", "renew", "apiserver", "--no-restart", "--kubernetes-dir", kube.toString());

    assertThat(renew.code()).as(renew.err()).isZero();
    assertThat(renew.out())
        .contains(
            "[renew] Error reading configuration from the Cluster. Falling back to default"
                + " configuration\n\n");
    X509Certificate renewed = apiserver();
    assertThat(renewed.getPublicKey().getAlgorithm()).isEqualTo("RSA");
  }

  @Test
  void checkExpirationKeepsJsonOnStdoutAndTheNoticesOnStderr() throws Exception {
    adminConfFor(client.getMasterUrl().toString().replaceAll("/$", ""));
    upload(ECDSA_CLUSTER);

    CliRun json =
        kubeboot("certs", "check-expiration", "-o", "json", "--kubernetes-dir", kube.toString());

    assertThat(json.code()).as(json.err()).isZero();
    assertThat(json.out().strip()).startsWith("{");
    assertThat(json.err()).contains("[check-expiration] Reading configuration from the");
  }

  @Test
  void anUploadedConfigurationThatCannotBeReadNamesTheConfigMap() throws Exception {
    adminConfFor(client.getMasterUrl().toString().replaceAll("/$", ""));
    upload(
        """
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: ClusterConfiguration
        encryptionAlgorithm: DSA-1024
        """);

    CliRun renew =
        kubeboot(
            "certs", "renew", "apiserver", "--no-restart", "--kubernetes-dir", kube.toString());

    assertThat(renew.code()).isEqualTo(2);
    assertThat(renew.err()).contains("kube-system/kubeadm-config").contains("encryptionAlgorithm");
  }
}
