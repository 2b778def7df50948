package dev.kubeboot.testing.e2e;

import static dev.kubeboot.testing.e2e.E2eSupport.isRunning;
import static dev.kubeboot.testing.e2e.E2eSupport.kubeboot;
import static dev.kubeboot.testing.e2e.E2eSupport.pid;
import static dev.kubeboot.testing.e2e.E2eSupport.pod;
import static dev.kubeboot.testing.e2e.E2eSupport.run;
import static dev.kubeboot.testing.e2e.E2eSupport.runner;
import static dev.kubeboot.testing.e2e.E2eSupport.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeboot.runner.status.PodStatus;
import dev.kubeboot.testing.e2e.E2eSupport.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * `kubeboot init` end to end, as a user runs it: the launcher, the detached runner with the
 * host-process runtime, Debian's real etcd over mTLS with the generated certificates, and the
 * kube-apiserver / controller-manager / scheduler stand-ins (test doubles) from testing/bin, all
 * run from the rendered manifests unchanged. One control plane, scenarios in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InitEndToEndIT {
  private static final Path REPO = E2eSupport.REPO;

  private LocalControlPlane local;

  @BeforeAll
  void setUp() throws Exception {
    E2eSupport.assumeEtcd();
    E2eSupport.assertJarsBuilt();
    local = LocalControlPlane.create("kubeboot-e2e", "e2e-node", "", "");
  }

  @AfterAll
  void tearDown() throws Exception {
    if (local == null) {
      return;
    }
    local.tearDown();
  }

  @Test
  @Order(1)
  void initBringsUpAHealthyControlPlane() throws Exception {
    Result init = local.init(LocalControlPlane.PROCESS);
    assertThat(init.code()).as(init.out()).isZero();
    assertThat(init.out())
        .contains("[runner-start] The static-pod runner is running")
        .contains("[control-plane-check] etcd is healthy")
        .contains("[control-plane-check] kube-apiserver is healthy")
        .contains("[control-plane-check] kube-controller-manager is healthy")
        .contains("[control-plane-check] kube-scheduler is healthy")
        .contains("Your Kubernetes control-plane has initialized successfully!");
    // kubeboot logs reads etcd's output through the runner's process runtime.
    Result logs =
        kubeboot(
            Duration.ofSeconds(60), "logs", "etcd", "--kubernetes-dir", local.kube().toString());
    assertThat(logs.code()).as(logs.out()).isZero();
    assertThat(logs.out()).contains("etcd");
    // The real etcdctl, with the healthcheck-client certificate, over mTLS.
    Result etcdctl = local.etcdHealth();
    assertThat(etcdctl.code()).as(etcdctl.out()).isZero();
    assertThat(etcdctl.out()).contains("is healthy");
  }

  @Test
  @Order(2)
  void statusIsAllGreen() throws Exception {
    // Readiness lags health by the probes' schedule (startup probes wait 10 s before the first
    // try).
    waitFor(
        "every component to be ready", Duration.ofSeconds(90), () -> local.status().code() == 0);
    Result status = local.status();
    assertThat(status.code()).as(status.out()).isZero();
    assertThat(status.out()).contains("Control plane: healthy").contains("Runner: running");
    Result json = local.status("-o", "json");
    assertThat(json.out()).contains("\"healthy\" : true");
  }

  @Test
  @Order(3)
  void initAgainChangesNothing() throws Exception {
    var before = snapshot();
    Result again =
        kubeboot(
            Duration.ofMinutes(3),
            "init",
            "--config",
            local.config().toString(),
            "--kubernetes-dir",
            local.kube().toString(),
            "--container-runtime",
            "process",
            "--timeout",
            "2m");
    assertThat(again.code()).as(again.out()).isZero();
    assertThat(again.out())
        .contains("A static-pod runner already serves")
        .doesNotContain("Generating")
        .doesNotContain("Creating static Pod manifest");
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  @Order(4)
  void killedEtcdIsRestartedAndTheControlPlaneTurnsGreenAgain() throws Exception {
    PodStatus etcd = pod("etcd-e2e-node");
    long pid = pid(etcd);
    ProcessHandle.of(pid).orElseThrow().destroyForcibly();
    waitFor(
        "etcd to be restarted",
        Duration.ofSeconds(60),
        () ->
            pod("etcd-e2e-node").containerStatuses().getFirst().restartCount() >= 1
                && isRunning(pod("etcd-e2e-node")));
    assertThat(pid(pod("etcd-e2e-node"))).isNotEqualTo(pid);
    waitFor("status to be green again", Duration.ofSeconds(90), () -> local.status().code() == 0);
    Result status = local.status();
    assertThat(status.out())
        .containsPattern("etcd\\s+etcd-e2e-node\\s+Running\\s+(true|false)\\s+1");
  }

  @Test
  @Order(5)
  void anEditedApiServerManifestRecreatesThePod() throws Exception {
    PodStatus before = pod("kube-apiserver-e2e-node");
    Path file = local.manifests().resolve("kube-apiserver.yaml");
    String yaml = Files.readString(file);
    String edited =
        yaml.replace(
            "    - --allow-privileged=true\n",
            "    - --allow-privileged=true\n    - --audit-log-maxage=30\n");
    assertThat(edited).isNotEqualTo(yaml);
    Path temp = local.manifests().resolve(".kube-apiserver.yaml.edit");
    Files.writeString(temp, edited);
    Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    waitFor(
        "a new kube-apiserver pod",
        Duration.ofSeconds(60),
        () ->
            !pod("kube-apiserver-e2e-node").uid().equals(before.uid())
                && isRunning(pod("kube-apiserver-e2e-node")));
    long newPid = pid(pod("kube-apiserver-e2e-node"));
    assertThat(newPid).isNotEqualTo(pid(before));
    assertThat(
            ProcessHandle.of(newPid)
                .flatMap(p -> p.info().arguments())
                .map(List::of)
                .orElse(List.of()))
        .contains("--audit-log-maxage=30");
    waitFor("status to be green again", Duration.ofSeconds(90), () -> local.status().code() == 0);
  }

  @Test
  @Order(6)
  void aDeletedSchedulerManifestTakesItsPodAwayAndStatusSaysSo() throws Exception {
    long pid = pid(pod("kube-scheduler-e2e-node"));
    Files.delete(local.manifests().resolve("kube-scheduler.yaml"));
    waitFor(
        "the scheduler pod to go",
        Duration.ofSeconds(60),
        () ->
            runner().orElseThrow().pods().stream()
                .noneMatch(p -> p.key().name().equals("kube-scheduler-e2e-node")));
    waitFor(
        "the scheduler process to exit",
        Duration.ofSeconds(30),
        () -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
    Result status = local.status();
    assertThat(status.code()).isEqualTo(1);
    assertThat(status.out())
        .containsPattern("kube-scheduler\\s+-\\s+Absent")
        .contains("Control plane: NOT healthy");
  }

  @Test
  @Order(7)
  void aUserRendersIntoAPrivateDirectoryWithoutRootWhileThisControlPlaneRuns() throws Exception {
    List<String> asNobody =
        List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--");
    Result mktemp = run(Duration.ofSeconds(10), Map.of(), concat(asNobody, "mktemp", "-d"));
    assertThat(mktemp.code()).as(mktemp.out()).isZero();
    Path dir = Path.of(mktemp.out().strip());
    try {
      Path kubernetes = dir.resolve("kubernetes");
      // The README's render-only example, as user nobody: this control plane holds every port.
      Result render =
          run(
              Duration.ofMinutes(2),
              Map.of("HOME", dir.toString()),
              concat(
                  asNobody,
                  REPO.resolve("kubeboot").toString(),
                  "init",
                  "--kubernetes-dir",
                  kubernetes.toString(),
                  "--skip-phases",
                  "runner-start,wait-control-plane",
                  "--apiserver-advertise-address",
                  "10.0.0.5",
                  "--node-name",
                  "master-1"));

      assertThat(render.code()).as(render.out()).isZero();
      assertThat(render.out())
          .contains("[preflight] Running pre-flight checks")
          .contains(
              "[WARNING Port-6443]: Port 6443 is in use; not fatal: runner-start is skipped, this"
                  + " run starts nothing")
          .doesNotContain("[ERROR")
          .contains("[control-plane] Creating static Pod manifest for \"kube-apiserver\"")
          .contains("The control-plane files are written");
      for (String file :
          List.of("admin.conf", "pki/ca.key", "manifests/etcd.yaml", ".kubeboot-etcd-data-dir")) {
        assertThat(Files.getOwner(kubernetes.resolve(file)).getName()).as(file).isEqualTo("nobody");
      }
      assertThat(Files.readString(kubernetes.resolve("manifests/kube-apiserver.yaml")))
          .contains("--advertise-address=10.0.0.5");
    } finally {
      run(Duration.ofSeconds(30), Map.of(), "rm", "-rf", "--", dir.toString());
    }
  }

  private static String[] concat(List<String> prefix, String... rest) {
    var all = new java.util.ArrayList<>(prefix);
    all.addAll(List.of(rest));
    return all.toArray(String[]::new);
  }

  private Map<String, String> snapshot() throws IOException {
    var files = new java.util.TreeMap<String, String>();
    try (var walk = Files.walk(local.kube())) {
      for (Path p :
          walk.filter(Files::isRegularFile).filter(p -> !p.startsWith(local.state())).toList()) {
        files.put(
            local.kube().relativize(p).toString(),
            Files.getLastModifiedTime(p) + " " + Files.size(p));
      }
    }
    return files;
  }
}
