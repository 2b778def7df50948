package dev.kubeboot.testing.e2e;

import static dev.kubeboot.testing.e2e.E2eSupport.isRunning;
import static dev.kubeboot.testing.e2e.E2eSupport.pid;
import static dev.kubeboot.testing.e2e.E2eSupport.pod;
import static dev.kubeboot.testing.e2e.E2eSupport.run;
import static dev.kubeboot.testing.e2e.E2eSupport.runner;
import static dev.kubeboot.testing.e2e.E2eSupport.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kubeboot.testing.e2e.E2eSupport.Result;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Mirror pods end to end: `kubeboot init` with the host-process runtime, real etcd and the
 * kube-apiserver stand-in (test double); the detached runner shows its static pods on that API
 * server, and kubectl sees and pokes them. One control plane, scenarios in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MirrorPodsEndToEndIT {
  private static final String NODE = "mirror-node";
  private static final List<String> COMPONENTS =
      List.of("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler");

  private LocalControlPlane local;
  private KubernetesClient api;

  @BeforeAll
  void setUp() throws Exception {
    E2eSupport.assumeEtcd();
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/kubectl")) || onPath("kubectl"),
        "kubectl is not installed");
    E2eSupport.assertJarsBuilt();
    local = LocalControlPlane.create("kubeboot-mirror-e2e", NODE, "", "");
  }

  @AfterAll
  void tearDown() throws Exception {
    if (api != null) {
      api.close();
    }
    if (local != null) {
      local.tearDown();
    }
  }

  @Test
  @Order(1)
  void kubectlListsTheControlPlanePodsRunningAndReady() throws Exception {
    Result init = local.init(LocalControlPlane.PROCESS);
    assertThat(init.code()).as(init.out()).isZero();
    api =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(null, local.kube().resolve("admin.conf").toFile()))
            .build();
    waitFor(
        "kubectl to list every control-plane pod as Running and ready",
        Duration.ofSeconds(60),
        () -> {
          String out = kubectl("get", "pods", "-n", "kube-system").out();
          return COMPONENTS.stream().allMatch(c -> row(c, "1/1", "Running").matcher(out).find());
        });
    Result pods = kubectl("get", "pods", "-n", "kube-system");
    System.out.println("$ kubectl --kubeconfig admin.conf get pods -n kube-system\n" + pods.out());
    for (String c : COMPONENTS) {
      assertThat(pods.out()).containsPattern(row(c, "1/1", "Running"));
    }
    Result nodes = kubectl("get", "nodes");
    System.out.println("$ kubectl --kubeconfig admin.conf get nodes\n" + nodes.out());
    assertThat(nodes.out()).containsPattern(NODE + "\\s+Ready\\s+control-plane");
    assertThat(runner().orElseThrow().mirror()).isEqualTo("on");
    Pod etcd = mirror("etcd");
    assertThat(etcd.getMetadata().getAnnotations())
        .containsEntry("kubernetes.io/config.mirror", pod("etcd-" + NODE).uid())
        .containsEntry("kubernetes.io/config.hash", pod("etcd-" + NODE).uid())
        .containsEntry("kubernetes.io/config.source", "file");
    assertThat(etcd.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.getKind()).isEqualTo("Node");
              assertThat(o.getName()).isEqualTo(NODE);
              assertThat(o.getController()).isTrue();
            });
  }

  @Test
  @Order(2)
  void theNodeShowsItsSystemAsAKubeletsDoesAndItsLeaseIsRenewed() throws Exception {
    Result wide = kubectl("get", "nodes", "-o", "wide");
    System.out.println("$ kubectl --kubeconfig admin.conf get nodes -o wide\n" + wide.out());
    List<String> header = List.of(wide.out().lines().findFirst().orElseThrow().split("\\s{2,}"));
    String row = wide.out().lines().filter(l -> l.startsWith(NODE + " ")).findFirst().orElseThrow();
    List<String> cells = List.of(row.split("\\s{2,}"));
    assertThat(cells).hasSameSizeAs(header);
    for (String column : List.of("VERSION", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME")) {
      assertThat(cells.get(header.indexOf(column)))
          .as(column)
          .isNotBlank()
          .isNotEqualTo("<unknown>")
          .isNotEqualTo("<none>");
    }
    assertThat(cells.get(header.indexOf("CONTAINER-RUNTIME"))).startsWith("host-process://");
    assertThat(cells.get(header.indexOf("KERNEL-VERSION")))
        .isEqualTo(Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip());
    var node = api.nodes().withName(NODE).get();
    assertThat(node.getStatus().getCapacity()).containsKeys("cpu", "memory", "pods");
    assertThat(node.getStatus().getConditions())
        .extracting(c -> c.getType())
        .contains("Ready", "MemoryPressure", "DiskPressure", "PIDPressure");

    var lease = api.leases().inNamespace("kube-node-lease").withName(NODE);
    assertThat(lease.get().getSpec().getHolderIdentity()).isEqualTo(NODE);
    assertThat(lease.get().getSpec().getLeaseDurationSeconds()).isEqualTo(40);
    var renewed = lease.get().getSpec().getRenewTime();
    waitFor(
        "the node Lease to be renewed (every 10 s)",
        Duration.ofSeconds(30),
        () -> lease.get().getSpec().getRenewTime().isAfter(renewed));
  }

  @Test
  @Order(2)
  void statusIsAllGreen() throws Exception {
    Result status = local.status();
    System.out.println("$ kubeboot status\n" + status.out());
    assertThat(status.code()).as(status.out()).isZero();
  }

  @Test
  @Order(3)
  void aKilledEtcdShowsItsRestartInKubectl() throws Exception {
    long pid = pid(pod("etcd-" + NODE));
    ProcessHandle.of(pid).orElseThrow().destroyForcibly();
    waitFor(
        "kubectl to show etcd restarted",
        Duration.ofSeconds(90),
        () ->
            row("etcd", "1/1", "Running", "1")
                .matcher(kubectl("get", "pods", "-n", "kube-system").out())
                .find());
    Result pods = kubectl("get", "pods", "-n", "kube-system");
    System.out.println(
        "$ kubectl --kubeconfig admin.conf get pods -n kube-system  # after kill -9 etcd\n"
            + pods.out());
    waitFor("status to be green again", Duration.ofSeconds(90), () -> local.status().code() == 0);
  }

  @Test
  @Order(4)
  void aMirrorDeletedWithKubectlIsBackWithinOneSecondAndEtcdKeepsRunning() throws Exception {
    String name = "etcd-" + NODE;
    long etcdPid = pid(pod(name));
    int restarts = pod(name).containerStatuses().getFirst().restartCount();
    String before = mirror("etcd").getMetadata().getUid();

    Result delete = kubectl("delete", "pod", name, "-n", "kube-system");
    long deleted = System.nanoTime();
    assertThat(delete.code()).as(delete.out()).isZero();
    String after = awaitNewMirror("etcd", before, Duration.ofSeconds(1));
    System.out.printf(
        "mirror %s re-created %d ms after `kubectl delete` returned (uid %s -> %s)%n",
        name, Duration.ofNanos(System.nanoTime() - deleted).toMillis(), before, after);

    // The same deletion straight through the API, timed without kubectl's own start-up.
    long t0 = System.nanoTime();
    api.pods().inNamespace("kube-system").withName(name).delete();
    String third = awaitNewMirror("etcd", after, Duration.ofSeconds(1));
    long latency = Duration.ofNanos(System.nanoTime() - t0).toMillis();
    System.out.printf(
        "mirror %s re-created %d ms after an API delete (uid %s -> %s)%n",
        name, latency, after, third);
    assertThat(latency).isLessThan(1000);

    assertThat(pid(pod(name))).as("the etcd process is the same one").isEqualTo(etcdPid);
    assertThat(ProcessHandle.of(etcdPid).map(ProcessHandle::isAlive)).contains(true);
    assertThat(pod(name).containerStatuses().getFirst().restartCount()).isEqualTo(restarts);
    waitFor(
        "the new mirror to show etcd Running",
        Duration.ofSeconds(10),
        () ->
            row("etcd", "1/1", "Running")
                .matcher(kubectl("get", "pods", "-n", "kube-system").out())
                .find());
  }

  @Test
  @Order(5)
  void anEditedManifestChangesTheMirrorsConfigHash() throws Exception {
    String before =
        mirror("kube-controller-manager")
            .getMetadata()
            .getAnnotations()
            .get("kubernetes.io/config.hash");
    Path file = local.manifests().resolve("kube-controller-manager.yaml");
    String yaml = Files.readString(file);
    String edited =
        yaml.replace(
            "    - --use-service-account-credentials=true\n",
            "    - --use-service-account-credentials=true\n    - --v=2\n");
    assertThat(edited).isNotEqualTo(yaml);
    Path temp = local.manifests().resolve(".kube-controller-manager.yaml.edit");
    Files.writeString(temp, edited);
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
    waitFor(
        "the mirror's config.hash to change",
        Duration.ofSeconds(60),
        () -> {
          String hash =
              mirror("kube-controller-manager")
                  .getMetadata()
                  .getAnnotations()
                  .get("kubernetes.io/config.hash");
          return !hash.equals(before) && hash.equals(pod("kube-controller-manager-" + NODE).uid());
        });
    waitFor(
        "the new controller-manager to be Running and ready in kubectl",
        Duration.ofSeconds(60),
        () ->
            row("kube-controller-manager", "1/1", "Running")
                .matcher(kubectl("get", "pods", "-n", "kube-system").out())
                .find());
    String after =
        mirror("kube-controller-manager")
            .getMetadata()
            .getAnnotations()
            .get("kubernetes.io/config.hash");
    System.out.printf("kube-controller-manager-%s config.hash %s -> %s%n", NODE, before, after);
    assertThat(isRunning(pod("kube-controller-manager-" + NODE))).isTrue();
  }

  @Test
  @Order(6)
  void withTheApiServerDownForThirtySecondsAChangedPodRunsAtOnceAndItsMirrorCatchesUp()
      throws Exception {
    Path apiserver = local.manifests().resolve("kube-apiserver.yaml");
    Path parked = local.work().resolve("kube-apiserver.yaml.parked");
    Files.move(apiserver, parked);
    long down = System.nanoTime();
    waitFor(
        "the API server to stop",
        Duration.ofSeconds(60),
        () ->
            runner().orElseThrow().pods().stream()
                .noneMatch(p -> p.key().name().equals("kube-apiserver-" + NODE)));
    waitFor(
        "the runner to say the mirrors wait",
        Duration.ofSeconds(30),
        () -> runner().orElseThrow().mirror().startsWith("waiting: "));

    String name = "kube-controller-manager-" + NODE;
    String oldUid = pod(name).uid();
    Path file = local.manifests().resolve("kube-controller-manager.yaml");
    String yaml = Files.readString(file);
    String edited = yaml.replace("    - --v=2\n", "    - --v=3\n");
    assertThat(edited).isNotEqualTo(yaml);
    Path temp = local.manifests().resolve(".kube-controller-manager.yaml.edit");
    Files.writeString(temp, edited);
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
    long edit = System.nanoTime();
    waitFor(
        "the changed controller-manager to run without the API server",
        Duration.ofSeconds(30),
        () -> !pod(name).uid().equals(oldUid) && isRunning(pod(name)));
    String newUid = pod(name).uid();
    System.out.printf(
        "API server down: kube-controller-manager re-created and running %d ms after the edit; runner says mirror: %s%n",
        Duration.ofNanos(System.nanoTime() - edit).toMillis(), runner().orElseThrow().mirror());
    assertThat(runner().orElseThrow().mirror()).startsWith("waiting: cannot reach the API server");

    long downFor = Duration.ofNanos(System.nanoTime() - down).toMillis();
    if (downFor < 30_000) {
      Thread.sleep(30_000 - downFor);
    }
    Files.move(parked, apiserver);
    long back = System.nanoTime();
    // The stand-in keeps its objects in etcd: the Node and the mirrors are still there, and the
    // changed pod's mirror is replaced once the API server answers again.
    waitFor(
        "the mirror to catch up with the new hash",
        Duration.ofSeconds(120),
        () -> {
          Pod p = mirrorOrNull("kube-controller-manager");
          return p != null
              && newUid.equals(p.getMetadata().getAnnotations().get("kubernetes.io/config.hash"));
        });
    System.out.printf(
        "API server back: kube-controller-manager mirror shows hash %s %d ms after the manifest was restored%n",
        newUid, Duration.ofNanos(System.nanoTime() - back).toMillis());
    waitFor(
        "kubectl to list the control plane Running again",
        Duration.ofSeconds(60),
        () -> {
          String out = kubectl("get", "pods", "-n", "kube-system").out();
          return COMPONENTS.stream().allMatch(c -> row(c, "1/1", "Running").matcher(out).find());
        });
    System.out.println(
        "$ kubectl --kubeconfig admin.conf get pods -n kube-system  # after 30 s without the API server\n"
            + kubectl("get", "pods", "-n", "kube-system").out());
    assertThat(runner().orElseThrow().mirror()).isEqualTo("on");
  }

  @Test
  @Order(7)
  void aDeletedManifestTakesItsMirrorAway() throws Exception {
    Files.delete(local.manifests().resolve("kube-scheduler.yaml"));
    waitFor(
        "the scheduler's mirror to go",
        Duration.ofSeconds(60),
        () -> mirrorOrNull("kube-scheduler") == null);
    assertThat(runner().orElseThrow().pods())
        .noneMatch(p -> p.key().name().equals("kube-scheduler-" + NODE));
    Result pods = kubectl("get", "pods", "-n", "kube-system");
    System.out.println(
        "$ kubectl --kubeconfig admin.conf get pods -n kube-system  # after rm kube-scheduler.yaml\n"
            + pods.out());
    assertThat(pods.out()).doesNotContain("kube-scheduler-" + NODE).contains("etcd-" + NODE);
  }

  private String awaitNewMirror(String component, String oldUid, Duration within) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      Pod p = mirrorOrNull(component);
      if (p != null && !p.getMetadata().getUid().equals(oldUid)) {
        return p.getMetadata().getUid();
      }
      Thread.sleep(10);
    }
    throw new AssertionError(
        "the mirror of " + component + " was not back within " + within.toMillis() + " ms");
  }

  private Pod mirror(String component) {
    Pod p = mirrorOrNull(component);
    assertThat(p).as("mirror pod of " + component).isNotNull();
    return p;
  }

  private Pod mirrorOrNull(String component) {
    return api.pods().inNamespace("kube-system").withName(component + "-" + NODE).get();
  }

  /** A `kubectl get pods` row: NAME READY STATUS [RESTARTS]. */
  private static Pattern row(String component, String ready, String status, String... restarts) {
    String tail = restarts.length == 0 ? "" : "\\s+" + restarts[0] + "\\b";
    return Pattern.compile(
        "(?m)^"
            + Pattern.quote(component + "-" + NODE)
            + "\\s+"
            + Pattern.quote(ready)
            + "\\s+"
            + status
            + tail);
  }

  private Result kubectl(String... args) throws Exception {
    var command =
        new java.util.ArrayList<String>(
            List.of("kubectl", "--kubeconfig", local.kube().resolve("admin.conf").toString()));
    command.addAll(List.of(args));
    return run(Duration.ofSeconds(30), Map.of(), command.toArray(String[]::new));
  }

  private static boolean onPath(String tool) {
    return java.util.Arrays.stream(System.getenv("PATH").split(":"))
        .anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
  }
}
