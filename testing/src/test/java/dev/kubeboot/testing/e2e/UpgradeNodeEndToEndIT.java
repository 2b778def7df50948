package dev.kubeboot.testing.e2e;

import static dev.kubeboot.testing.e2e.E2eSupport.kubeboot;
import static dev.kubeboot.testing.e2e.E2eSupport.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kubeboot.testing.e2e.E2eSupport.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * `kubeboot upgrade node` end to end on the process runtime, with the real etcd and the stand-ins:
 * the cluster's kubeadm-config says v1.34.2 (as upgrade apply on another control-plane node leaves
 * it) while this node runs v1.33.6; upgrade node, given no --config, renders from the cluster's
 * configuration and this node's own name and address, replaces the pods, and leaves the uploaded
 * configuration alone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UpgradeNodeEndToEndIT {
  private static final String NODE = "e2e-upgrade-node";
  private static final String FROM = "v1.33.6";
  private static final String TO = "v1.34.2";
  private static final List<String> COMPONENTS =
      List.of("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler");

  private LocalControlPlane local;

  @BeforeAll
  void setUp() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/etcd")), "Debian's etcd is not installed");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/kubectl")), "kubectl is not installed");
    local =
        LocalControlPlane.create(
            "kubeboot-upgrade-node-e2e",
            NODE,
            FROM,
            """
            apiServer:
              extraArgs:
              - name: audit-log-maxage
                value: "7"
            """);
  }

  @AfterAll
  void tearDown() throws Exception {
    if (local != null) {
      local.tearDown();
    }
  }

  private Result kubectl(String... args) throws Exception {
    var command = new java.util.ArrayList<>(List.of("/usr/bin/kubectl", "--kubeconfig"));
    command.add(local.kube().resolve("admin.conf").toString());
    command.addAll(List.of(args));
    return run(Duration.ofSeconds(30), Map.of(), command.toArray(String[]::new));
  }

  @Test
  void upgradeNodeBringsThisNodeToTheClusterVersionWithTheClusterSettings() throws Exception {
    Result init = local.init(LocalControlPlane.PROCESS);
    assertThat(init.code()).as(init.out()).isZero();
    Map<String, String> before = new HashMap<>();
    for (String c : COMPONENTS) {
      before.put(c, E2eSupport.pod(c + "-" + NODE).uid());
    }

    // What upgrade apply on another control-plane node leaves behind: the cluster at TO.
    Result uploaded =
        kubectl(
            "get",
            "configmap",
            "kubeadm-config",
            "-n",
            "kube-system",
            "-o",
            "jsonpath={.data.ClusterConfiguration}");
    assertThat(uploaded.code()).as(uploaded.out()).isZero();
    String atTarget =
        uploaded.out().replace("kubernetesVersion: " + FROM, "kubernetesVersion: " + TO);
    assertThat(atTarget).contains("kubernetesVersion: " + TO).contains("audit-log-maxage");
    Path patch = local.work().resolve("patch.yaml");
    Files.writeString(
        patch,
        "data:\n  ClusterConfiguration: |\n"
            + atTarget.lines().map(l -> "    " + l).reduce("", (a, b) -> a + b + "\n"));
    Result patched =
        kubectl(
            "patch",
            "configmap",
            "kubeadm-config",
            "-n",
            "kube-system",
            "--patch-file",
            patch.toString());
    assertThat(patched.code()).as(patched.out()).isZero();

    // No --config: the cluster's configuration, this node's name and address from its files.
    Result node =
        kubeboot(
            Duration.ofMinutes(8),
            "upgrade",
            "node",
            "--kubernetes-dir",
            local.kube().toString(),
            "--container-runtime",
            "process");
    System.out.println("$ kubeboot upgrade node\n" + node.out());
    assertThat(node.code()).as(node.out()).isZero();
    assertThat(node.out())
        .contains("[upgrade/config] Reading configuration from the \"kubeadm-config\" ConfigMap")
        .contains(
            "[upgrade] Upgrading your Static Pod-hosted control plane instance to version \""
                + TO
                + "\"...")
        .contains(
            "[upgrade/control-plane] The control plane instance for this node was successfully"
                + " upgraded!")
        .doesNotContain("[upload-config]");
    String apiserver = Files.readString(local.manifests().resolve("kube-apiserver.yaml"));
    assertThat(apiserver)
        .contains("image: registry.k8s.io/kube-apiserver:" + TO)
        .contains("--audit-log-maxage=7")
        .contains("--advertise-address=127.0.0.1");
    for (String c : COMPONENTS) {
      assertThat(E2eSupport.pod(c + "-" + NODE).uid()).as(c).isNotEqualTo(before.get(c));
    }
    Result status = local.status();
    assertThat(status.code()).as(status.out()).isZero();
    assertThat(status.out()).contains("Control plane: healthy");
    Result after =
        kubectl(
            "get",
            "configmap",
            "kubeadm-config",
            "-n",
            "kube-system",
            "-o",
            "jsonpath={.data.ClusterConfiguration}");
    assertThat(after.out()).isEqualTo(atTarget);
  }
}
