package dev.kubeboot.testing.e2e;

import static dev.kubeboot.testing.e2e.E2eSupport.kubeboot;
import static dev.kubeboot.testing.e2e.E2eSupport.pod;
import static org.assertj.core.api.Assertions.assertThat;

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
 * `kubeboot upgrade apply` end to end on the CRI runtime: the private containerd of
 * scripts/containerd-test-env.sh holds the stand-in images of two Kubernetes versions, built
 * locally from the same stand-in jar and tagged as kubeadm's manifests name them (no registry
 * exists here), and Debian's etcd. init runs the old version; the upgrade must re-create the
 * containers one component at a time, in kubeadm's order, each new one healthy before the next is
 * touched, and leave every container on the new images.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UpgradeOnCriEndToEndIT {
  private static final String ENDPOINT = CriTestContainerd.ENDPOINT;
  private static final String FROM = "v1.33.6";
  private static final String TO = "v1.34.2";
  private static final String NODE = "cri-upgrade";
  private static final List<String> ORDER =
      List.of("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler");

  private LocalControlPlane local;
  private final Map<String, String> initialUid = new HashMap<>();
  private final List<String> podLogDirs = new ArrayList<>();

  @BeforeAll
  void setUp() throws Exception {
    for (String version : List.of(FROM, TO)) {
      CriTestContainerd.standInImages(version);
    }
    local = LocalControlPlane.create("kubeboot-upgrade-cri", NODE, FROM, "");
  }

  @AfterAll
  void tearDown() throws Exception {
    if (local == null) {
      return;
    }
    local.tearDown();
    CriTestContainerd.removePodLogs(podLogDirs);
  }

  private Result kubebootOnCri(Duration timeout, String... args) throws Exception {
    var all = new ArrayList<>(List.of(args));
    all.addAll(
        List.of(
            "--config",
            local.config().toString(),
            "--kubernetes-dir",
            local.kube().toString(),
            "--container-runtime",
            "cri",
            "--container-runtime-endpoint",
            ENDPOINT));
    return kubeboot(timeout, all.toArray(String[]::new));
  }

  private void rememberLogDirs() throws Exception {
    for (String c : ORDER) {
      var p = pod(c + "-" + NODE);
      podLogDirs.add("kube-system_" + p.key().name() + "_" + p.uid());
    }
  }

  @Test
  @Order(1)
  void initRunsTheOldVersionInContainers() throws Exception {
    Result init = kubebootOnCri(Duration.ofMinutes(5), "init", "--timeout", "3m");
    assertThat(init.code()).as(init.out()).isZero();
    rememberLogDirs();
    for (String c : ORDER) {
      initialUid.put(c, pod(c + "-" + NODE).uid());
    }
    String containers = CriTestContainerd.ctr("containers", "ls");
    for (String c : ORDER.subList(1, ORDER.size())) {
      assertThat(containers).contains("registry.k8s.io/" + c + ":" + FROM);
    }
  }

  @Test
  @Order(2)
  void upgradeReplacesTheContainersOneAtATimeInKubeadmsOrder() throws Exception {
    Result apply;
    PodWatch seen = PodWatch.start(NODE);
    try (seen) {
      apply = kubebootOnCri(Duration.ofMinutes(8), "upgrade", "apply", TO, "-y");
    }
    System.out.println("$ kubeboot upgrade apply " + TO + " (CRI)\n" + apply.out());
    rememberLogDirs();
    assertThat(apply.code()).as(apply.out()).isZero();
    assertThat(apply.out())
        .contains(
            "[upgrade] SUCCESS! A control plane node of your cluster was upgraded to \""
                + TO
                + "\".");

    // Each component's new pod runs ready before the next one is replaced, and between two steps
    // the whole control plane was seen ready at once.
    for (int i = 1; i < ORDER.size(); i++) {
      long previousReady = seen.firstReadyWithNewUid(ORDER.get(i - 1), initialUid);
      long next = seen.firstNewUid(ORDER.get(i), initialUid);
      assertThat(previousReady)
          .as("%s ready before %s is replaced", ORDER.get(i - 1), ORDER.get(i))
          .isLessThan(next);
      assertThat(seen.allReadyBetween(previousReady, next, ORDER))
          .as("every component ready between the %s and %s steps", ORDER.get(i - 1), ORDER.get(i))
          .isTrue();
    }

    // The manifests and the containers containerd runs name the new images.
    String containers = CriTestContainerd.ctr("containers", "ls");
    for (String c : ORDER.subList(1, ORDER.size())) {
      assertThat(Files.readString(local.manifests().resolve(c + ".yaml")))
          .contains("image: registry.k8s.io/" + c + ":" + TO);
      String id = pod(c + "-" + NODE).containerStatuses().getFirst().containerID();
      assertThat(id).startsWith("cri://");
      assertThat(containers)
          .containsPattern(id.substring("cri://".length()) + "\\s+registry.k8s.io/" + c + ":" + TO);
    }
    for (String c : ORDER) {
      assertThat(pod(c + "-" + NODE).uid()).as(c).isNotEqualTo(initialUid.get(c));
    }

    Result status = local.status();
    assertThat(status.code()).as(status.out()).isZero();
    assertThat(status.out()).contains("Control plane: healthy").contains("runtime cri");
    try (Stream<Path> dirs = Files.list(local.kube().resolve("tmp"))) {
      List<String> names = dirs.map(p -> p.getFileName().toString()).toList();
      assertThat(names)
          .anyMatch(n -> n.startsWith("kubeadm-backup-manifests-"))
          .anyMatch(n -> n.startsWith("kubeadm-backup-etcd-"));
    }
  }
}
