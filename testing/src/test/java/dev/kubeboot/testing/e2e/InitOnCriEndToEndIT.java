package dev.kubeboot.testing.e2e;

import static dev.kubeboot.testing.e2e.E2eSupport.isRunning;
import static dev.kubeboot.testing.e2e.E2eSupport.kubeboot;
import static dev.kubeboot.testing.e2e.E2eSupport.pod;
import static dev.kubeboot.testing.e2e.E2eSupport.run;
import static dev.kubeboot.testing.e2e.E2eSupport.runner;
import static dev.kubeboot.testing.e2e.E2eSupport.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeboot.runner.status.PodStatus;
import dev.kubeboot.testing.e2e.E2eSupport.Result;
import java.time.Duration;
import java.util.ArrayList;
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
 * `kubeboot init` end to end on the CRI runtime: the detached runner drives the private containerd
 * of scripts/containerd-test-env.sh, which runs Debian's etcd (over mTLS with the generated
 * certificates) and the kube-apiserver / controller-manager / scheduler stand-ins (test doubles) as
 * the images the rendered manifests name. No registry exists, so the script builds those images
 * from testing/target/kubeboot-testing.jar and imports them (cached by content). Lean on purpose:
 * InitEndToEndIT covers the scenarios that do not depend on the runtime.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InitOnCriEndToEndIT {
  private static final String ENDPOINT = CriTestContainerd.ENDPOINT;

  /** The image tag of the stand-ins: the config names it, the script builds it. */
  private static final String VERSION = "v1.34.2";

  private static final String NODE = "cri-node";
  private static final List<String> PODS =
      List.of("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler");

  private LocalControlPlane local;
  private final List<String> podLogDirs = new ArrayList<>();

  @BeforeAll
  void setUp() throws Exception {
    CriTestContainerd.standInImages(VERSION);
    local = LocalControlPlane.create("kubeboot-e2e-cri", NODE, VERSION, "");
  }

  @AfterAll
  void tearDown() throws Exception {
    if (local == null) {
      return;
    }
    local.tearDown();
    // The kubelet's log layout lives outside the temporary directory.
    CriTestContainerd.removePodLogs(podLogDirs);
  }

  @Test
  @Order(1)
  void initOnCriBringsUpAHealthyControlPlaneInContainers() throws Exception {
    Result init = local.init(LocalControlPlane.cri(ENDPOINT));
    for (String name : PODS) {
      runner()
          .flatMap(
              r ->
                  r.pods().stream()
                      .filter(p -> p.key().name().equals(name + "-" + NODE))
                      .findFirst())
          .ifPresent(p -> podLogDirs.add("kube-system_" + p.key().name() + "_" + p.uid()));
    }
    assertThat(init.code()).as(init.out()).isZero();
    assertThat(init.out())
        .contains("[control-plane-check] etcd is healthy")
        .contains("[control-plane-check] kube-apiserver is healthy")
        .contains("[control-plane-check] kube-controller-manager is healthy")
        .contains("[control-plane-check] kube-scheduler is healthy")
        .contains("Your Kubernetes control-plane has initialized successfully!");

    // Every pod's container is a containerd container, listed by containerd's own tool.
    String listed = CriTestContainerd.ctr("containers", "ls");
    for (String name : PODS) {
      String id = containerId(pod(name + "-" + NODE));
      assertThat(listed)
          .as("ctr -n k8s.io containers ls")
          .containsPattern(id + "\\s+\\S+/" + name + ":");
    }

    // Debian's etcdctl, with the healthcheck-client certificate, over mTLS to the etcd container.
    Result etcdctl = local.etcdHealth();
    assertThat(etcdctl.code()).as(etcdctl.out()).isZero();

    // kubeboot logs reads the container's log through the runner's CRI runtime, prefix dropped.
    Result logs =
        kubeboot(
            Duration.ofSeconds(60), "logs", "etcd", "--kubernetes-dir", local.kube().toString());
    assertThat(logs.code()).as(logs.out()).isZero();
    assertThat(logs.out())
        .contains("etcd")
        .doesNotContainPattern("(?m)^\\S+Z (stdout|stderr) [PF] ");
    assertThat(etcdctl.out()).contains("is healthy");
  }

  @Test
  @Order(2)
  void statusIsAllGreenAndNamesTheRuntime() throws Exception {
    waitFor("every component to be ready", Duration.ofSeconds(90), () -> status().code() == 0);
    Result status = status();
    assertThat(status.code()).as(status.out()).isZero();
    assertThat(status.out()).contains("Control plane: healthy").contains("runtime cri");
  }

  @Test
  @Order(3)
  void killedEtcdContainerIsRestartedAndTheControlPlaneTurnsGreenAgain() throws Exception {
    String etcd = "etcd-" + NODE;
    String before = containerId(pod(etcd));
    long pid = taskPid(before);
    run(Duration.ofSeconds(10), Map.of(), "kill", "-9", Long.toString(pid));
    waitFor(
        "etcd to be restarted in a new container",
        Duration.ofSeconds(60),
        () ->
            pod(etcd).containerStatuses().getFirst().restartCount() >= 1
                && isRunning(pod(etcd))
                && !containerId(pod(etcd)).equals(before));
    String after = containerId(pod(etcd));
    assertThat(taskPid(after)).isNotEqualTo(pid);
    waitFor("status to be green again", Duration.ofSeconds(90), () -> status().code() == 0);
    assertThat(status().out())
        .containsPattern("etcd\\s+" + etcd + "\\s+Running\\s+(true|false)\\s+1");
  }

  private Result status() throws Exception {
    return local.status();
  }

  private static String containerId(PodStatus pod) {
    String id = pod.containerStatuses().getFirst().containerID();
    assertThat(id).startsWith("cri://");
    return id.substring("cri://".length());
  }

  /** The host pid of a container's main process, from {@code ctr tasks ls}. */
  private static long taskPid(String containerId) throws Exception {
    for (String line : CriTestContainerd.ctr("tasks", "ls").lines().toList()) {
      String[] cols = line.strip().split("\\s+");
      if (cols.length >= 3 && cols[0].equals(containerId) && cols[2].equals("RUNNING")) {
        return Long.parseLong(cols[1]);
      }
    }
    throw new AssertionError("ctr tasks ls lists no running task of container " + containerId);
  }
}
