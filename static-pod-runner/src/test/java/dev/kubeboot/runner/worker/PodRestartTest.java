package dev.kubeboot.runner.worker;

import static dev.kubeboot.runner.Eventually.eventually;
import static dev.kubeboot.runner.TestPods.container;
import static dev.kubeboot.runner.TestPods.pod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeboot.runner.FakeContainerRuntime;
import dev.kubeboot.runner.FakeProber;
import dev.kubeboot.runner.FakeTime;
import dev.kubeboot.runner.manifest.ManifestSnapshot;
import dev.kubeboot.runner.metrics.RunnerMetrics;
import dev.kubeboot.runner.pod.Container;
import dev.kubeboot.runner.pod.PodKey;
import dev.kubeboot.runner.pod.StaticPod;
import dev.kubeboot.runner.status.ContainerState;
import dev.kubeboot.runner.status.ContainerStatus;
import dev.kubeboot.runner.status.RunnerStatus;
import dev.kubeboot.runner.status.StatusStore;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A user's restart request: graceful stop, then what follows a crash: restartCount + 1 and a start
 * after the crash backoff, which the request feeds and never shortens.
 */
@Timeout(60)
class PodRestartTest {
  private static final PodKey WEB = new PodKey("kube-system", "web-node1");

  private final FakeTime time = new FakeTime();
  private final FakeContainerRuntime runtime = new FakeContainerRuntime(time);
  private final StatusStore store =
      new StatusStore(
          new RunnerStatus(1, time.instant(), "fake", "/m", "node1", "off", List.of(), List.of()));
  private final PodWorkers workers =
      new PodWorkers(runtime, new FakeProber(), store, time, time, "10.0.0.5");

  @AfterEach
  void stopWorkers() throws InterruptedException {
    workers.stopAll();
  }

  private void apply(StaticPod... pods) {
    workers.accept(
        new ManifestSnapshot(
            Arrays.stream(pods).collect(Collectors.toMap(StaticPod::key, Function.identity())),
            List.of()));
  }

  private ContainerStatus cs(String name) {
    return store.current().pod(WEB).orElseThrow().container(name).orElseThrow();
  }

  private void awaitRunning(String name, int restartCount) {
    eventually(
        () -> {
          ContainerStatus c = cs(name);
          assertThat(c.state()).isInstanceOf(ContainerState.Running.class);
          assertThat(c.restartCount()).isEqualTo(restartCount);
          assertThat(runtime.runningCount(name)).isEqualTo(1);
        });
  }

  @Test
  void everyContainerIsStoppedWithTheGracePeriodAndStartedAgainAtOnce() {
    apply(pod("web", "uid1", container("app"), container("sidecar")));
    awaitRunning("app", 0);
    awaitRunning("sidecar", 0);
    String oldId = cs("app").containerID();

    assertThat(workers.restart(WEB)).isTrue();

    awaitRunning("app", 1);
    awaitRunning("sidecar", 1);
    assertThat(runtime.events())
        .contains(
            "stop web-node1/app 30s uid1",
            "stop web-node1/sidecar 30s uid1",
            "start web-node1/app#1 uid1",
            "start web-node1/sidecar#1 uid1");
    ContainerStatus app = cs("app");
    assertThat(app.containerID()).isNotEqualTo(oldId);
    assertThat(app.lastState())
        .get()
        .extracting(ContainerState.Terminated::exitCode)
        .isEqualTo(143);
    assertThat(time.sleepers()).as("no backoff wait").isZero();
  }

  private void awaitBackOff(String delay) {
    eventually(
        () ->
            assertThat(cs("app").state())
                .isInstanceOfSatisfying(
                    ContainerState.Waiting.class,
                    w -> {
                      assertThat(w.reason()).isEqualTo("CrashLoopBackOff");
                      assertThat(w.message()).startsWith("back-off " + delay + " ");
                    }));
  }

  @Test
  void aRestartAfterACrashWaitsTheBackoffASecondCrashWould() {
    apply(pod("web", "uid1", container("app")));
    awaitRunning("app", 0);
    runtime.exit("app", 1);
    awaitRunning("app", 1);

    workers.restart(WEB);

    awaitBackOff("10s");
    time.advanceSeconds(10);
    awaitRunning("app", 2);
  }

  @Test
  void aRestartDoesNotCutACrashLoopBackOffShort() {
    apply(pod("web", "uid1", container("app")));
    awaitRunning("app", 0);
    runtime.exit("app", 1);
    awaitRunning("app", 1);
    runtime.exit("app", 1);
    awaitBackOff("10s");
    eventually(() -> assertThat(time.sleepers()).isEqualTo(1));

    assertThat(workers.restart(WEB)).isTrue();

    eventually(() -> assertThat(time.sleepers()).isEqualTo(1));
    assertThat(runtime.count("start")).isEqualTo(2);
    time.advanceSeconds(10);
    awaitRunning("app", 2);
  }

  @Test
  void aRestartCountsAsACrashForBackoff() {
    apply(pod("web", "uid1", container("app")));
    awaitRunning("app", 0);
    workers.restart(WEB);
    awaitRunning("app", 1);

    // The request took the backoff's free restart: the first crash now waits 10 s.
    runtime.exit("app", 1);

    awaitBackOff("10s");
    time.advanceSeconds(10);
    awaitRunning("app", 2);
  }

  @Test
  void anUnknownPodIsRefused() {
    apply(pod("web", "uid1", container("app")));
    awaitRunning("app", 0);

    assertThat(workers.restart(new PodKey("kube-system", "db-node1"))).isFalse();
    assertThat(workers.restart(new PodKey("default", "web-node1"))).isFalse();
  }

  @Test
  void aRemovedPodIsNotRestarted() {
    apply(pod("web", "uid1", container("app")));
    awaitRunning("app", 0);

    apply();

    assertThat(workers.restart(WEB)).isFalse();
    eventually(() -> assertThat(runtime.events()).contains("removePod web-node1 uid1"));
    assertThat(runtime.count("start")).isEqualTo(1);
  }

  private PodWorker worker(StaticPod pod, CompletableFuture<Void> predecessorGone) {
    var ctx =
        new WorkerContext(
            runtime,
            new FakeProber(),
            time,
            time,
            new CrashBackoff(),
            store,
            "10.0.0.5",
            new RunnerMetrics(store::current));
    PodWorker w = new PodWorker(ctx, pod, predecessorGone, Map.of());
    w.start();
    return w;
  }

  @Test
  void aPendingTerminateWinsOverALaterRestart() throws Exception {
    CompletableFuture<Void> predecessorGone = new CompletableFuture<>();
    PodWorker w = worker(pod("web", "uid1", container("app")), predecessorGone);

    w.terminate(true);
    boolean accepted = w.restart();
    predecessorGone.complete(null);
    w.terminated().get();

    assertThat(accepted).isFalse();
    assertThat(runtime.count("start")).isZero();
  }

  @Test
  void aRunningPodBeingTerminatedIsStoppedNotRestarted() throws Exception {
    PodWorker w =
        worker(pod("web", "uid1", container("app")), CompletableFuture.completedFuture(null));
    awaitRunning("app", 0);

    w.terminate(true);
    boolean accepted = w.restart();
    w.terminated().get();

    assertThat(accepted).isFalse();
    assertThat(runtime.count("start")).isEqualTo(1);
    assertThat(runtime.runningCount("app")).isZero();
  }

  @Test
  void aRestartLeavesAPendingUpdateInTheMailbox() throws Exception {
    CompletableFuture<Void> predecessorGone = new CompletableFuture<>();
    StaticPod first = pod("web", "uid1", container("app"));
    Container newer = container("app");
    newer =
        new Container(
            newer.name(),
            "registry.k8s.io/app:2",
            newer.imagePullPolicy(),
            newer.command(),
            newer.args(),
            newer.env(),
            newer.workingDir(),
            newer.ports(),
            newer.volumeMounts(),
            newer.livenessProbe(),
            newer.readinessProbe(),
            newer.startupProbe(),
            newer.preStop(),
            newer.securityContext(),
            newer.resources());
    PodWorker w = worker(first, predecessorGone);

    w.update(pod("web", "uid1", newer));
    assertThat(w.restart()).isTrue();
    predecessorGone.complete(null);

    awaitRunning("app", 0);
    assertThat(cs("app").image()).isEqualTo("registry.k8s.io/app:2");
    w.terminate(true);
    w.terminated().get(10, TimeUnit.SECONDS);
  }

  @Test
  void twoRequestsInARowLeaveTheContainerRunningAfterOneBackoffStepAtMost() {
    apply(pod("web", "uid1", container("app")));
    awaitRunning("app", 0);

    workers.restart(WEB);
    workers.restart(WEB);

    // The second may land while the first restart is still starting the container: then it
    // stops it once more, and that start waits the backoff. One or two restarts, never none.
    eventually(
        () -> {
          if (cs("app").state() instanceof ContainerState.Waiting) {
            time.advanceSeconds(10);
          }
          assertThat(cs("app").state()).isInstanceOf(ContainerState.Running.class);
          assertThat(cs("app").restartCount()).isBetween(1, 2);
          assertThat(runtime.runningCount("app")).isEqualTo(1);
        });
  }
}
