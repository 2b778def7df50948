package dev.kubeboot.cli.day2;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * upgrade plan, apply and node without --config render from the cluster's kubeadm-config, with this
 * node's name and advertise address from its live kube-apiserver manifest, as kubeadm does: the
 * cluster's own settings survive the upgrade. Against fabric8's in-memory API server.
 */
class UpgradeFromClusterConfigTest {
  @TempDir Path tmp;
  private KubernetesMockServer server;
  private KubernetesClient client;
  private Node node;

  @BeforeEach
  void start() throws Exception {
    server = CrudApiServer.start();
    client = server.createClient();
    node =
        Node.init(
            tmp.resolve("node"),
            """
            apiServer:
              extraArgs:
              - name: audit-log-maxage
                value: "7"
            """,
            "--kubernetes-version",
            "v1.33.6");
  }

  @AfterEach
  void stop() {
    client.close();
    server.destroy();
  }

  /** admin.conf as init wrote it (its client certificate too), its server moved to {@code url}. */
  private void adminConfFor(String url) throws Exception {
    Path admin = node.kubernetesDir.resolve("admin.conf");
    Files.writeString(
        admin, Files.readString(admin).replaceFirst("(?m)^(\\s*server: ).*$", "$1" + url));
  }

  /** What upgrade apply on the first node leaves in the cluster: its configuration, new version. */
  private void uploadClusterConfiguration(String version) throws Exception {
    adminConfFor(client.getMasterUrl().toString().replaceAll("/$", ""));
    String text =
        """
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: ClusterConfiguration
        kubernetesVersion: %s
        certificatesDir: %s
        apiServer:
          extraArgs:
          - name: audit-log-maxage
            value: "7"
        etcd:
          local:
            dataDir: %s
        """
            .formatted(version, node.pki, node.etcdData);
    client
        .configMaps()
        .inNamespace("kube-system")
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("kubeadm-config")
                .withNamespace("kube-system")
                .endMetadata()
                .withData(Map.of("ClusterConfiguration", text))
                .build())
        .create();
  }

  @Test
  void upgradeNodeTakesTheClusterVersionAndKeepsTheNodeAndTheClusterSettings() throws Exception {
    uploadClusterConfiguration("v1.34.2");

    Node.Result node = this.node.onNode("upgrade", "node", "--dry-run");

    assertThat(node.code()).as(node.err()).isZero();
    assertThat(node.out())
        .contains(
            "[upgrade/config] Reading configuration from the \"kubeadm-config\" ConfigMap in"
                + " namespace \"kube-system\"...")
        .contains(
            "[upgrade] Upgrading your Static Pod-hosted control plane instance to version"
                + " \"v1.34.2\"...")
        .contains("+    image: registry.k8s.io/kube-apiserver:v1.34.2")
        .contains("-    image: registry.k8s.io/kube-apiserver:v1.33.6");
    // This node's name and address, and the cluster's extra argument, are not part of the diff:
    // they render as before.
    assertThat(node.out())
        .doesNotContainPattern("(?m)^[+-].*advertise-address")
        .doesNotContainPattern("(?m)^[+-].*audit-log-maxage")
        .doesNotContainPattern("(?m)^[+-].*name: kube-apiserver-n1");
    assertThat(Files.readString(this.node.manifests.resolve("kube-apiserver.yaml")))
        .as("a dry run writes nothing")
        .contains("kube-apiserver:v1.33.6");
  }

  @Test
  void upgradeNodeOnANodeThatIsUpToDateChangesNothing() throws Exception {
    uploadClusterConfiguration("v1.33.6");

    Node.Result node = this.node.onNode("upgrade", "node");

    assertThat(node.code()).as(node.err()).isZero();
    assertThat(node.out()).contains("This node already runs v1.33.6: nothing to change");
  }

  @Test
  void planWithoutConfigReadsTheCluster() throws Exception {
    uploadClusterConfiguration("v1.33.6");

    Node.Result plan = node.onNode("upgrade", "plan");

    assertThat(plan.code()).as(plan.err()).isZero();
    assertThat(plan.out())
        .contains("[upgrade/config] Reading configuration from the \"kubeadm-config\" ConfigMap")
        .contains("[upgrade/versions] Cluster version: v1.33.6");
  }

  @Test
  void anUnreachableClusterStopsTheUpgradeAndSaysWhy() throws Exception {
    int closed;
    try (var socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    adminConfFor("http://127.0.0.1:" + closed);

    Node.Result apply = node.onNode("upgrade", "apply", "v1.34.2", "--dry-run");

    assertThat(apply.code()).isEqualTo(1);
    assertThat(apply.err())
        .contains("cannot read the cluster's configuration")
        .contains("or pass --config");
  }

  @Test
  void upgradeNodeWithConfigRendersFromTheFileAtTheClusterVersion() throws Exception {
    uploadClusterConfiguration("v1.34.2");

    Node.Result node =
        this.node.onNode("upgrade", "node", "--dry-run", "--config", this.node.config.toString());

    assertThat(node.code()).as(node.err()).isZero();
    assertThat(node.out())
        .contains("+    image: registry.k8s.io/kube-apiserver:v1.34.2")
        .doesNotContainPattern("(?m)^[+-].*audit-log-maxage");
  }

  @Test
  void kubeadmsUpgradeDefaultsAsKubebootPrintsThemWorkWithEveryUpgradeCommand() throws Exception {
    uploadClusterConfiguration("v1.33.6");
    Node.Result printed = node.run("config", "print", "upgrade-defaults");
    assertThat(printed.code()).as(printed.err()).isZero();
    Path defaults = tmp.resolve("upgrade-defaults.yaml");
    Files.writeString(defaults, printed.out());

    Node.Result apply =
        node.onNode("upgrade", "apply", "v1.34.2", "--dry-run", "--config", defaults.toString());
    Node.Result plan = node.onNode("upgrade", "plan", "--config", defaults.toString());
    Node.Result diff = node.onNode("upgrade", "diff", "v1.34.2", "--config", defaults.toString());

    assertThat(apply.code()).as(apply.err()).isZero();
    // A file with only an UpgradeConfiguration: the cluster's configuration is rendered from.
    assertThat(apply.out())
        .contains("[upgrade/config] Reading configuration from the \"kubeadm-config\" ConfigMap")
        .contains("[upgrade] Upgrading this node from v1.33.6 to v1.34.2")
        .contains("[dryrun] Would back up " + node.manifests.resolve("etcd.yaml"))
        .contains("then wait up to 5m0s for it")
        .doesNotContainPattern("(?m)^[+-].*audit-log-maxage");
    assertThat(apply.err())
        .contains(
            defaults
                + ": these fields are accepted for kubeadm compatibility but not used by kubeboot:"
                + " UpgradeConfiguration.apply.imagePullSerial");
    assertThat(plan.code()).as(plan.err()).isZero();
    assertThat(plan.out()).contains("Upgrade to v1.34.2 (the next minor release):");
    assertThat(diff.code()).as(diff.err()).isZero();
    assertThat(diff.out()).contains("+    image: registry.k8s.io/kube-apiserver:v1.34.2");
    assertThat(Files.readString(node.manifests.resolve("kube-apiserver.yaml")))
        .contains("kube-apiserver:v1.33.6");
  }

  @Test
  void upgradeNodeTakesItsSectionOfAnUpgradeConfiguration() throws Exception {
    uploadClusterConfiguration("v1.34.2");
    Path file = tmp.resolve("upgrade.yaml");
    Files.writeString(
        file,
        """
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: UpgradeConfiguration
        node:
          dryRun: true
          etcdUpgrade: false
        """);

    Node.Result upgraded = node.onNode("upgrade", "node", "--config", file.toString());

    assertThat(upgraded.code()).as(upgraded.err()).isZero();
    assertThat(upgraded.out())
        .contains("+    image: registry.k8s.io/kube-apiserver:v1.34.2")
        .doesNotContain("etcd.yaml");
    assertThat(Files.readString(node.manifests.resolve("kube-apiserver.yaml")))
        .as("node.dryRun writes nothing")
        .contains("kube-apiserver:v1.33.6");
  }
}
