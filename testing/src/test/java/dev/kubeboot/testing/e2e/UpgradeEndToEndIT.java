package dev.kubeboot.testing.e2e;

import static dev.kubeboot.testing.e2e.E2eSupport.kubeboot;
import static dev.kubeboot.testing.e2e.E2eSupport.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kubeboot.runner.status.PodStatus;
import dev.kubeboot.testing.e2e.E2eSupport.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * `kubeboot upgrade` end to end on the process runtime: the real etcd, the stand-ins from
 * testing/bin, init at v1.33.6, then an upgrade to v1.34.2 whose kube-apiserver cannot start (its
 * configuration asks for a port no server can bind, which the real kube-apiserver refuses as the
 * stand-in does) is rolled back, and the same upgrade with that fixed goes through. The pods are
 * watched through the runner's /pods while the upgrades run.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UpgradeEndToEndIT {
  private static final String NODE = "e2e-upgrade";
  private static final String FROM = "v1.33.6";
  private static final String TO = "v1.34.2";
  private static final List<String> COMPONENTS =
      List.of("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler");

  private LocalControlPlane local;
  private Path broken;
  private final Map<String, byte[]> initial = new HashMap<>();
  private final Map<String, String> initialUid = new HashMap<>();

  @BeforeAll
  void setUp() throws Exception {
    E2eSupport.assumeEtcd();
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/kubectl")), "kubectl is not installed");
    E2eSupport.assertJarsBuilt();
    local = LocalControlPlane.create("kubeboot-upgrade-e2e", NODE, FROM, "");
    String text = Files.readString(local.config());
    broken = local.work().resolve("kubeadm-broken.yaml");
    Files.writeString(
        broken,
        text
            + """
            apiServer:
              extraArgs:
              - name: secure-port
                value: "70000"
            """);
  }

  @AfterAll
  void tearDown() throws Exception {
    if (local != null) {
      local.tearDown();
    }
  }

  private Result upgrade(Path configFile, String... args) throws Exception {
    var all = new ArrayList<>(List.of("upgrade"));
    all.addAll(List.of(args));
    all.addAll(
        List.of(
            "--config",
            configFile.toString(),
            "--kubernetes-dir",
            local.kube().toString(),
            "--container-runtime",
            "process"));
    return kubeboot(Duration.ofMinutes(6), all.toArray(String[]::new));
  }

  @Test
  @Order(1)
  void initAtTheOldVersionThenPlanShowsTheNextMinor() throws Exception {
    Result init = local.init(LocalControlPlane.PROCESS);
    assertThat(init.code()).as(init.out()).isZero();
    for (String c : COMPONENTS) {
      initial.put(c, Files.readAllBytes(local.manifests().resolve(c + ".yaml")));
      initialUid.put(c, E2eSupport.pod(c + "-" + NODE).uid());
    }
    assertThat(new String(initial.get("kube-apiserver")))
        .contains("image: registry.k8s.io/kube-apiserver:" + FROM);

    Result plan = upgrade(local.config(), "plan");
    System.out.println("$ kubeboot upgrade plan\n" + plan.out());
    assertThat(plan.code()).as(plan.out()).isZero();
    assertThat(plan.out())
        .contains("[upgrade/versions] Cluster version: " + FROM)
        .contains("Upgrade to " + TO + " (the next minor release):")
        .containsPattern("kube-apiserver +" + FROM + " +" + FROM + " +" + TO)
        .contains("kubeboot upgrade apply " + TO);
  }

  @Test
  @Order(2)
  void anApiServerThatCannotStartIsRolledBackAndEtcdKeepsItsUpgrade() throws Exception {
    Result apply;
    PodWatch seen = PodWatch.start(NODE);
    try (seen) {
      apply = upgrade(broken, "apply", TO, "-y", "--timeout", "30s");
    }
    System.out.println(
        "$ kubeboot upgrade apply " + TO + " (kube-apiserver broken)\n" + apply.out());
    assertThat(apply.code()).as(apply.out()).isEqualTo(1);
    assertThat(apply.out())
        .contains("upgrade of kube-apiserver to " + TO + " failed")
        .contains("its old manifest is back and the old pod is healthy");

    assertThat(Files.readAllBytes(local.manifests().resolve("kube-apiserver.yaml")))
        .isEqualTo(initial.get("kube-apiserver"));
    PodStatus apiserver = E2eSupport.pod("kube-apiserver-" + NODE);
    assertThat(apiserver.uid()).isEqualTo(initialUid.get("kube-apiserver"));
    assertThat(apiserver.ready()).isTrue();
    // etcd went first and stays upgraded, as kubeadm leaves it.
    String etcd = Files.readString(local.manifests().resolve("etcd.yaml"));
    assertThat(etcd).contains("name: probe-port").isNotEqualTo(new String(initial.get("etcd")));
    assertThat(E2eSupport.pod("etcd-" + NODE).uid()).isNotEqualTo(initialUid.get("etcd"));
    for (String c : List.of("kube-controller-manager", "kube-scheduler")) {
      assertThat(Files.readAllBytes(local.manifests().resolve(c + ".yaml")))
          .isEqualTo(initial.get(c));
    }
    // Observed: etcd was re-created (and ready) before the new kube-apiserver pod appeared.
    long etcdReady = seen.firstReadyWithNewUid("etcd", initialUid);
    long apiserverNew = seen.firstNewUid("kube-apiserver", initialUid);
    assertThat(etcdReady).isLessThan(apiserverNew);

    Path backup = onlyDir("kubeadm-backup-manifests-");
    assertThat(Files.readAllBytes(backup.resolve("etcd.yaml"))).isEqualTo(initial.get("etcd"));
    assertThat(Files.readAllBytes(backup.resolve("kube-apiserver.yaml")))
        .isEqualTo(initial.get("kube-apiserver"));
    Path snapshot = onlyDir("kubeadm-backup-etcd-").resolve("snapshot.db");
    Result status =
        run(
            Duration.ofSeconds(30),
            Map.of(),
            "/usr/bin/etcdctl",
            "snapshot",
            "status",
            snapshot.toString(),
            "-w",
            "table");
    System.out.println("$ etcdctl snapshot status " + snapshot + "\n" + status.out());
    assertThat(status.code()).as(status.out()).isZero();
  }

  @Test
  @Order(3)
  void theFixedUpgradeReplacesThePodsOneAtATimeInKubeadmsOrder() throws Exception {
    Map<String, String> before = new HashMap<>();
    for (String c : COMPONENTS) {
      before.put(c, E2eSupport.pod(c + "-" + NODE).uid());
    }
    Result apply;
    PodWatch seen = PodWatch.start(NODE);
    try (seen) {
      apply = upgrade(local.config(), "apply", TO, "-y");
    }
    System.out.println("$ kubeboot upgrade apply " + TO + "\n" + apply.out());
    assertThat(apply.code()).as(apply.out()).isZero();
    assertThat(apply.out())
        .contains("Current and new manifests of etcd are equal, skipping upgrade")
        .contains("[upgrade/staticpods] Renewing apiserver certificate")
        .contains("[upload-config] Storing the configuration used in ConfigMap \"kubeadm-config\"")
        .contains(
            "[upgrade] SUCCESS! A control plane node of your cluster was upgraded to \""
                + TO
                + "\".");
    for (String c : List.of("kube-apiserver", "kube-controller-manager", "kube-scheduler")) {
      assertThat(Files.readString(local.manifests().resolve(c + ".yaml")))
          .contains("image: registry.k8s.io/" + c + ":" + TO);
      assertThat(E2eSupport.pod(c + "-" + NODE).uid()).isNotEqualTo(before.get(c));
    }
    assertThat(E2eSupport.pod("etcd-" + NODE).uid()).isEqualTo(before.get("etcd"));
    // One at a time, in order: each pod is replaced only once the one before it runs ready.
    List<String> order = List.of("kube-apiserver", "kube-controller-manager", "kube-scheduler");
    for (int i = 1; i < order.size(); i++) {
      long previousReady = seen.firstReadyWithNewUid(order.get(i - 1), before);
      long next = seen.firstNewUid(order.get(i), before);
      assertThat(previousReady)
          .as("%s ready before %s is replaced", order.get(i - 1), order.get(i))
          .isLessThan(next);
    }

    Result status = local.status();
    assertThat(status.code()).as(status.out()).isZero();
    assertThat(status.out()).contains("Control plane: healthy");
    Result configMap =
        run(
            Duration.ofSeconds(30),
            Map.of(),
            "/usr/bin/kubectl",
            "--kubeconfig",
            local.kube().resolve("admin.conf").toString(),
            "get",
            "configmap",
            "kubeadm-config",
            "-n",
            "kube-system",
            "-o",
            "jsonpath={.data.ClusterConfiguration}");
    assertThat(configMap.code()).as(configMap.out()).isZero();
    assertThat(configMap.out()).contains("kubernetesVersion: " + TO);
    try (Stream<Path> dirs = Files.list(local.kube().resolve("tmp"))) {
      assertThat(
              dirs.map(p -> p.getFileName().toString())
                  .filter(n -> n.startsWith("kubeadm-backup-manifests-")))
          .hasSize(2);
    }
  }

  @Test
  @Order(4)
  void aDowngradeBySeveralMinorsIsRefusedAndPlanSaysUpToDate() throws Exception {
    Result apply = upgrade(local.config(), "apply", "v1.31.14", "-y", "--force");
    assertThat(apply.code()).as(apply.out()).isEqualTo(1);
    assertThat(apply.out())
        .contains("version skew policy (no downgrade by more than one minor release)");
    Result plan = upgrade(local.config(), "plan");
    assertThat(plan.code()).as(plan.out()).isZero();
    assertThat(plan.out()).contains("Cluster version: " + TO).contains("up-to-date");
  }

  private Path onlyDir(String prefix) throws Exception {
    try (Stream<Path> dirs = Files.list(local.kube().resolve("tmp"))) {
      List<Path> found =
          dirs.filter(p -> p.getFileName().toString().startsWith(prefix)).sorted().toList();
      assertThat(found).as(prefix).isNotEmpty();
      return found.getFirst();
    }
  }
}
