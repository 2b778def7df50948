package dev.kubeboot.runner.worker;

import static dev.kubeboot.runner.Eventually.eventually;
import static dev.kubeboot.runner.TestPods.container;
import static dev.kubeboot.runner.TestPods.pod;
import static dev.kubeboot.runner.TestPods.podNetworkPod;
import static dev.kubeboot.runner.TestPods.probe;
import static dev.kubeboot.runner.TestPods.withPreStop;
import static dev.kubeboot.runner.TestPods.withProbes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeboot.runner.FakeContainerRuntime;
import dev.kubeboot.runner.FakeProber;
import dev.kubeboot.runner.FakeTime;
import dev.kubeboot.runner.manifest.ManifestError;
import dev.kubeboot.runner.manifest.ManifestSnapshot;
import dev.kubeboot.runner.pod.Container;
import dev.kubeboot.runner.pod.PodKey;
import dev.kubeboot.runner.pod.PodSpec;
import dev.kubeboot.runner.pod.Probe;
import dev.kubeboot.runner.pod.ProbeAction;
import dev.kubeboot.runner.pod.RestartPolicy;
import dev.kubeboot.runner.pod.StaticPod;
import dev.kubeboot.runner.status.ContainerState;
import dev.kubeboot.runner.status.ContainerStatus;
import dev.kubeboot.runner.status.FileError;
import dev.kubeboot.runner.status.PodCondition;
import dev.kubeboot.runner.status.PodPhase;
import dev.kubeboot.runner.status.PodStatus;
import dev.kubeboot.runner.status.RunnerStatus;
import dev.kubeboot.runner.status.StatusStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(60)
class PodWorkersTest {
  private final FakeTime time = new FakeTime();
  private final FakeContainerRuntime runtime = new FakeContainerRuntime(time);
  private final FakeProber prober = new FakeProber();
  private final StatusStore store =
      new StatusStore(
          new RunnerStatus(
              1,
              time.instant(),
              "fake",
              "/etc/kubernetes/manifests",
              "node1",
              "off",
              List.of(),
              List.of()));
  private final PodWorkers workers = new PodWorkers(runtime, prober, store, time, time, "10.0.0.5");

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

  private PodStatus status(String name) {
    return store
        .current()
        .pod(new PodKey("kube-system", name + "-node1"))
        .orElseThrow(() -> new AssertionError("no status for " + name));
  }

  private ContainerStatus cs(String pod, String name) {
    return status(pod).container(name).orElseThrow();
  }

  private ContainerState state(String pod, String name) {
    return cs(pod, name).state();
  }

  /**
   * A worker publishes its waiting state before it goes to sleep; time moved in between would be
   * lost, so wait until it sleeps.
   */
  private void advanceWhenAsleep(long seconds) {
    eventually(() -> assertThat(time.sleepers()).isEqualTo(1));
    time.advanceSeconds(seconds);
  }

  private void awaitRunning(String pod, String name, int restartCount) {
    eventually(
        () -> {
          ContainerStatus c = cs(pod, name);
          assertThat(c.state()).isInstanceOf(ContainerState.Running.class);
          assertThat(c.restartCount()).isEqualTo(restartCount);
          assertThat(runtime.runningCount(name)).isEqualTo(1);
        });
  }

  @Test
  void aNewPodRunsItsContainersAndIsReady() {
    apply(pod("web", "uid1", container("app"), container("sidecar")));

    awaitRunning("web", "app", 0);
    awaitRunning("web", "sidecar", 0);
    eventually(() -> assertThat(status("web").ready()).isTrue());
    PodStatus s = status("web");
    assertThat(s.phase()).isEqualTo(PodPhase.RUNNING);
    assertThat(s.hostIP()).isEqualTo("10.0.0.5");
    assertThat(s.podIP()).isEqualTo("10.0.0.5");
    assertThat(s.startTime()).contains(time.instant());
    assertThat(s.conditions())
        .extracting(PodCondition::type)
        .containsExactly(
            "PodScheduled", "PodReadyToStartContainers", "Initialized", "ContainersReady", "Ready");
    assertThat(s.container("app").orElseThrow().containerID()).startsWith("fake://c");
    assertThat(s.container("app").orElseThrow().started()).isTrue();
  }

  @Test
  void manifestErrorsAreReported() {
    workers.accept(
        new ManifestSnapshot(
            Map.of(),
            List.of(new ManifestError(Path.of("/m/bad.yaml"), "kind is Service, expected Pod"))));

    assertThat(store.current().manifestErrors())
        .containsExactly(new FileError("/m/bad.yaml", "kind is Service, expected Pod"));
  }

  @Test
  void aChangedPodStopsTheOldContainersFirstThenStartsTheNewOnesAtOnce() {
    apply(pod("web", "uid1", container("app")));
    awaitRunning("web", "app", 0);

    apply(pod("web", "uid2", container("app")));

    eventually(() -> assertThat(runtime.events()).contains("start web-node1/app#0 uid2"));
    List<String> events = runtime.events();
    assertThat(events.indexOf("stop web-node1/app 30s uid1"))
        .isNotNegative()
        .isLessThan(events.indexOf("removePod web-node1 uid1"))
        .isLessThan(events.indexOf("start web-node1/app#0 uid2"));
    eventually(() -> assertThat(status("web").uid()).isEqualTo("uid2"));
    awaitRunning("web", "app", 0);
  }

  @Test
  void aPodChangedTwiceWhileTheOldOneStopsStartsOnlyTheNewest() {
    Container slowToStop =
        withPreStop(container("app"), new ProbeAction.Sleep(Duration.ofSeconds(5)));
    apply(pod("web", "uid1", slowToStop));
    awaitRunning("web", "app", 0);

    apply(pod("web", "uid2", container("app")));
    eventually(() -> assertThat(time.sleepers()).isEqualTo(1));
    apply(pod("web", "uid3", container("app")));
    time.advanceSeconds(5);

    eventually(() -> assertThat(runtime.events()).contains("start web-node1/app#0 uid3"));
    assertThat(runtime.events()).noneMatch(e -> e.startsWith("start") && e.endsWith("uid2"));
    assertThat(runtime.events()).contains("stop web-node1/app 25s uid1");
  }

  @Test
  void aDeletedPodIsStoppedAndForgotten() {
    apply(pod("web", "uid1", container("app")), pod("db", "uid9", container("etcd")));
    awaitRunning("web", "app", 0);
    awaitRunning("db", "etcd", 0);

    apply(pod("db", "uid9", container("etcd")));

    eventually(() -> assertThat(runtime.events()).contains("removePod web-node1 uid1"));
    assertThat(runtime.events()).contains("stop web-node1/app 30s uid1");
    eventually(
        () ->
            assertThat(store.current().pods())
                .extracting(p -> p.key().name())
                .containsExactly("db-node1"));
    assertThat(runtime.runningCount("etcd")).isEqualTo(1);
  }

  @Test
  void aPreStopExecHookRunsBeforeTheStopSignal() {
    apply(
        pod("web", "uid1", withPreStop(container("app"), new ProbeAction.Exec(List.of("drain")))));
    awaitRunning("web", "app", 0);

    apply();

    eventually(() -> assertThat(runtime.events()).contains("removePod web-node1 uid1"));
    List<String> events = runtime.events();
    assertThat(events.indexOf("exec web-node1/app drain"))
        .isNotNegative()
        .isLessThan(events.indexOf("stop web-node1/app 30s uid1"));
  }

  @Test
  void aGracePeriodBelowTwoSecondsIsRaisedToTwo() {
    StaticPod p = pod("web", "uid1", container("app"));
    PodSpec spec = p.spec();
    StaticPod quick =
        new StaticPod(
            p.key(),
            p.uid(),
            p.source(),
            p.labels(),
            p.annotations(),
            new PodSpec(
                spec.initContainers(),
                spec.containers(),
                spec.restartPolicy(),
                spec.hostNetwork(),
                Duration.ZERO,
                spec.volumes()),
            p.object());
    apply(quick);
    awaitRunning("web", "app", 0);

    apply();

    eventually(() -> assertThat(runtime.events()).contains("stop web-node1/app 2s uid1"));
  }

  @Test
  void aCrashingContainerRestartsAtOnceThenBacksOffDoublingToFiveMinutes() throws Exception {
    apply(pod("web", "uid1", container("app")));
    awaitRunning("web", "app", 0);

    runtime.exit("app", 1);
    awaitRunning("web", "app", 1);

    int restarts = 1;
    for (String delay : List.of("10s", "20s", "40s", "1m20s", "2m40s", "5m0s", "5m0s")) {
      long seconds = Duration.parse("PT" + delay.toUpperCase()).toSeconds();
      runtime.exit("app", 1);
      eventually(
          () ->
              assertThat(state("web", "app"))
                  .isEqualTo(
                      new ContainerState.Waiting(
                          "CrashLoopBackOff",
                          "back-off "
                              + delay
                              + " restarting failed container=app"
                              + " pod=web-node1_kube-system(uid1)")));
      ContainerStatus waiting = cs("web", "app");
      assertThat(waiting.restartCount()).isEqualTo(restarts);
      assertThat(waiting.lastState())
          .get()
          .extracting(ContainerState.Terminated::exitCode)
          .isEqualTo(1);
      assertThat(waiting.ready()).isFalse();
      assertThat(status("web").phase()).isEqualTo(PodPhase.RUNNING);
      assertThat(status("web").ready()).isFalse();

      advanceWhenAsleep(seconds - 1);
      Thread.sleep(10);
      assertThat(runtime.runningCount("app")).isZero();
      time.advanceSeconds(1);
      restarts++;
      awaitRunning("web", "app", restarts);
      assertThat(cs("web", "app").lastState()).isPresent();
    }
  }

  @Test
  void anExitLongAfterTheLastRestartRestartsAtOnce() {
    apply(pod("web", "uid1", container("app")));
    awaitRunning("web", "app", 0);
    runtime.exit("app", 1);
    awaitRunning("web", "app", 1);
    runtime.exit("app", 1);
    eventually(() -> assertThat(state("web", "app")).isInstanceOf(ContainerState.Waiting.class));
    advanceWhenAsleep(10);
    awaitRunning("web", "app", 2);

    time.advanceSeconds(601);
    runtime.exit("app", 1);
    awaitRunning("web", "app", 3);

    runtime.exit("app", 1);
    eventually(
        () ->
            assertThat(((ContainerState.Waiting) state("web", "app")).message())
                .startsWith("back-off 10s "));
  }

  @ParameterizedTest(name = "restartPolicy {0}, exit code {1}: restarted {2}, phase {3}")
  @CsvSource({
    "ALWAYS,     0, true,  Running",
    "ALWAYS,     1, true,  Running",
    "ON_FAILURE, 0, false, Succeeded",
    "ON_FAILURE, 1, true,  Running",
    "NEVER,      0, false, Succeeded",
    "NEVER,      1, false, Failed",
  })
  void restartPolicyDecidesWhetherAnExitedContainerRunsAgain(
      RestartPolicy policy, int exitCode, boolean restarted, String phase) {
    apply(pod("job", "uid1", policy, List.of(), List.of(container("app"))));
    awaitRunning("job", "app", 0);

    runtime.exit("app", exitCode);

    if (restarted) {
      awaitRunning("job", "app", 1);
    } else {
      eventually(
          () -> {
            assertThat(state("job", "app")).isInstanceOf(ContainerState.Terminated.class);
            assertThat(((ContainerState.Terminated) state("job", "app")).exitCode())
                .isEqualTo(exitCode);
          });
      assertThat(runtime.count("start")).isEqualTo(1);
    }
    eventually(() -> assertThat(status("job").phase().apiName()).isEqualTo(phase));
  }

  @Test
  void initContainersRunToCompletionInOrderBeforeTheAppContainers() {
    apply(
        pod(
            "web",
            "uid1",
            RestartPolicy.ALWAYS,
            List.of(container("init1"), container("init2")),
            List.of(container("app"))));

    eventually(() -> assertThat(runtime.runningCount("init1")).isEqualTo(1));
    PodStatus pending = status("web");
    assertThat(pending.phase()).isEqualTo(PodPhase.PENDING);
    assertThat(pending.condition("Initialized").orElseThrow().status()).isFalse();
    assertThat(pending.container("app").orElseThrow().state())
        .isEqualTo(new ContainerState.Waiting("PodInitializing", ""));
    assertThat(runtime.runningCount("init2")).isZero();

    runtime.exit("init1", 0);
    eventually(() -> assertThat(runtime.runningCount("init2")).isEqualTo(1));
    assertThat(runtime.runningCount("app")).isZero();
    runtime.exit("init2", 0);

    awaitRunning("web", "app", 0);
    eventually(
        () -> assertThat(status("web").condition("Initialized").orElseThrow().status()).isTrue());
    assertThat(status("web").initContainer("init1").orElseThrow().state())
        .isInstanceOfSatisfying(
            ContainerState.Terminated.class, t -> assertThat(t.reason()).isEqualTo("Completed"));
    assertThat(
            runtime.events().stream().filter(e -> e.startsWith("start")).map(e -> e.split(" ")[1]))
        .containsExactly("web-node1/init1#0", "web-node1/init2#0", "web-node1/app#0");
  }

  @Test
  void aFailingInitContainerIsRetriedWithBackoff() {
    apply(
        pod(
            "web",
            "uid1",
            RestartPolicy.ALWAYS,
            List.of(container("init1")),
            List.of(container("app"))));
    eventually(() -> assertThat(runtime.runningCount("init1")).isEqualTo(1));

    runtime.exit("init1", 1);
    eventually(() -> assertThat(runtime.count("start web-node1/init1#1")).isEqualTo(1));
    runtime.exit("init1", 1);
    eventually(
        () ->
            assertThat(status("web").initContainer("init1").orElseThrow().state())
                .isEqualTo(
                    new ContainerState.Waiting(
                        "CrashLoopBackOff",
                        "back-off 10s restarting failed container=init1"
                            + " pod=web-node1_kube-system(uid1)")));
    advanceWhenAsleep(10);
    eventually(() -> assertThat(runtime.count("start web-node1/init1#2")).isEqualTo(1));
    runtime.exit("init1", 0);

    awaitRunning("web", "app", 0);
  }

  @Test
  void aFailedInitContainerUnderRestartPolicyNeverFailsThePod() {
    apply(
        pod(
            "web",
            "uid1",
            RestartPolicy.NEVER,
            List.of(container("init1")),
            List.of(container("app"))));
    eventually(() -> assertThat(runtime.runningCount("init1")).isEqualTo(1));

    runtime.exit("init1", 2);

    eventually(() -> assertThat(status("web").phase()).isEqualTo(PodPhase.FAILED));
    assertThat(runtime.count("start web-node1/app")).isZero();
  }

  @Test
  void anImagePullFailureIsRetriedAtOnceThenShowsImagePullBackOff() {
    runtime.failStarts("app", 2, "ErrImagePull", "executable app not found in /usr/bin");
    apply(pod("web", "uid1", container("app")));

    eventually(
        () ->
            assertThat(state("web", "app"))
                .isEqualTo(
                    new ContainerState.Waiting(
                        "ImagePullBackOff", "Back-off pulling image \"registry.k8s.io/app:1\"")));
    assertThat(runtime.count("fail web-node1/app")).isEqualTo(2);
    assertThat(status("web").phase()).isEqualTo(PodPhase.PENDING);

    advanceWhenAsleep(10);
    awaitRunning("web", "app", 0);
  }

  @Test
  void anotherStartFailureKeepsItsReasonAndMessageWhileBackingOff() {
    runtime.failStarts(
        "app", 2, "CreateContainerConfigError", "volume data: configMap volumes are not supported");
    apply(pod("web", "uid1", container("app")));

    eventually(() -> assertThat(runtime.count("fail web-node1/app")).isEqualTo(2));
    eventually(
        () ->
            assertThat(state("web", "app"))
                .isEqualTo(
                    new ContainerState.Waiting(
                        "CreateContainerConfigError",
                        "volume data: configMap volumes are not supported")));
    advanceWhenAsleep(10);
    awaitRunning("web", "app", 0);
  }

  @Nested
  class Probes {
    private void stepProbe(String container, String probe, int toCalls) {
      while (prober.calls(container, probe) < toCalls) {
        int before = prober.calls(container, probe);
        time.advanceSeconds(10);
        eventually(() -> assertThat(prober.calls(container, probe)).isGreaterThan(before));
      }
    }

    @Test
    void aFailingLivenessProbeRestartsTheContainerWithThePodsGracePeriod() {
      Container app =
          withProbes(
              container("app"),
              Optional.of(probe("live", 10, 3)),
              Optional.empty(),
              Optional.empty());
      prober.set("app", "live", false);
      apply(pod("web", "uid1", app));
      awaitRunning("web", "app", 0);
      eventually(() -> assertThat(prober.calls("app", "live")).isEqualTo(1));

      stepProbe("app", "live", 3);

      eventually(() -> assertThat(runtime.events()).contains("stop web-node1/app 30s uid1"));
      prober.set("app", "live", true);
      awaitRunning("web", "app", 1);
      assertThat(cs("web", "app").lastState())
          .get()
          .extracting(ContainerState.Terminated::exitCode)
          .isEqualTo(143);
    }

    @Test
    void aLivenessKillUsesTheProbesOwnGracePeriod() {
      Probe live = probe("live", 10, 1);
      live = new Probe(live.action(), live.timing(), Optional.of(Duration.ofSeconds(5)));
      prober.set("app", "live", false);
      apply(
          pod(
              "web",
              "uid1",
              withProbes(container("app"), Optional.of(live), Optional.empty(), Optional.empty())));

      eventually(() -> assertThat(runtime.events()).contains("stop web-node1/app 5s uid1"));
    }

    @Test
    void aStartupProbeGatesLivenessAndReadinessUntilItSucceeds() {
      Container app =
          withProbes(
              container("app"),
              Optional.of(probe("live", 10, 3)),
              Optional.of(probe("ready", 10, 3)),
              Optional.of(probe("start", 10, 30)));
      prober.set("app", "start", false);
      apply(pod("web", "uid1", app));
      awaitRunning("web", "app", 0);

      stepProbe("app", "start", 3);
      assertThat(prober.calls("app", "live")).isZero();
      assertThat(prober.calls("app", "ready")).isZero();
      assertThat(cs("web", "app").started()).isFalse();
      assertThat(status("web").ready()).isFalse();

      prober.set("app", "start", true);
      stepProbe("app", "start", 4);

      eventually(() -> assertThat(cs("web", "app").started()).isTrue());
      eventually(() -> assertThat(prober.calls("app", "ready")).isPositive());
      eventually(() -> assertThat(status("web").ready()).isTrue());
      assertThat(prober.calls("app", "live")).isPositive();
    }

    @Test
    void aStartupProbeFailingPastItsThresholdRestartsTheContainer() {
      Container app =
          withProbes(
              container("app"),
              Optional.empty(),
              Optional.empty(),
              Optional.of(probe("start", 10, 2)));
      prober.set("app", "start", false);
      apply(pod("web", "uid1", app));
      awaitRunning("web", "app", 0);

      stepProbe("app", "start", 2);

      awaitRunning("web", "app", 1);
      assertThat(runtime.events()).contains("stop web-node1/app 30s uid1");
    }

    @Test
    void readinessDrivesTheReadyCondition() {
      Container app =
          withProbes(
              container("app"),
              Optional.empty(),
              Optional.of(probe("ready", 10, 2)),
              Optional.empty());
      prober.set("app", "ready", false);
      apply(pod("web", "uid1", app));
      awaitRunning("web", "app", 0);
      eventually(() -> assertThat(prober.calls("app", "ready")).isEqualTo(1));
      assertThat(status("web").ready()).isFalse();
      assertThat(cs("web", "app").ready()).isFalse();
      assertThat(cs("web", "app").started()).isTrue();

      prober.set("app", "ready", true);
      stepProbe("app", "ready", 2);
      eventually(() -> assertThat(status("web").ready()).isTrue());
      PodCondition ready = status("web").condition("Ready").orElseThrow();
      assertThat(ready.lastTransitionTime()).isEqualTo(time.instant());

      prober.set("app", "ready", false);
      stepProbe("app", "ready", 3);
      assertThat(status("web").ready()).isTrue();
      stepProbe("app", "ready", 4);
      eventually(() -> assertThat(status("web").ready()).isFalse());
      assertThat(runtime.count("stop")).isZero();
    }
  }

  @Test
  void adoptedContainersKeepRunningWithTheirRestartCount() {
    StaticPod web = pod("web", "uid1", container("app"), container("sidecar"));
    runtime.leftRunning(web, "app", 3);
    workers.adopt(runtime.listOwned());

    apply(web);

    awaitRunning("web", "app", 3);
    awaitRunning("web", "sidecar", 0);
    assertThat(runtime.events())
        .containsExactly("sandbox web-node1", "start web-node1/sidecar#0 uid1");

    runtime.exit("app", 1);
    eventually(() -> assertThat(runtime.events()).contains("start web-node1/app#4 uid1"));
  }

  @Test
  void twoHundredPodsStartAndStopTogether() {
    List<StaticPod> pods =
        IntStream.range(0, 200).mapToObj(i -> pod("p" + i, "uid" + i, container("c" + i))).toList();
    apply(pods.toArray(StaticPod[]::new));

    eventually(
        Duration.ofSeconds(30),
        () -> {
          assertThat(runtime.running()).hasSize(200);
          assertThat(store.current().pods()).hasSize(200).allMatch(PodStatus::ready);
        });

    apply();

    eventually(
        Duration.ofSeconds(30),
        () -> {
          assertThat(runtime.running()).isEmpty();
          assertThat(store.current().pods()).isEmpty();
        });
    assertThat(runtime.count("removePod")).isEqualTo(200);
  }

  @Test
  void shutdownWithoutStoppingPodsLeavesContainersRunning() throws Exception {
    apply(pod("web", "uid1", container("app")));
    awaitRunning("web", "app", 0);

    workers.shutdown(false);

    assertThat(runtime.runningCount("app")).isEqualTo(1);
    assertThat(runtime.count("stop")).isZero();
    apply(pod("other", "uid2", container("x")));
    Thread.sleep(20);
    assertThat(runtime.count("start other-node1/x")).isZero();
  }

  @Test
  void aPodWithItsOwnNetworkShowsTheSandboxesIpAsPodIp() {
    apply(podNetworkPod("web", "uid1", container("app")));

    awaitRunning("web", "app", 0);
    PodStatus s = status("web");
    assertThat(s.podIP()).isEqualTo("10.244.0.2");
    assertThat(s.podIPs()).containsExactly("10.244.0.2");
    assertThat(s.hostIP()).isEqualTo("10.0.0.5");
    assertThat(s.condition(PodCondition.POD_READY_TO_START_CONTAINERS).orElseThrow().status())
        .isTrue();
    assertThat(runtime.events())
        .containsSubsequence("sandbox web-node1", "start web-node1/app#0 uid1");
  }

  @Test
  void withoutAPodNetworkTheContainersWaitWithTheReasonAndTheWorkerTriesAgain() {
    runtime.failSandboxes(
        "web-node1",
        2,
        "NetworkPluginNotReady",
        "network plugin not ready: no pod CIDR is set; pass --pod-cidr");
    apply(podNetworkPod("web", "uid1", container("app")), pod("host", "uid2", container("x")));

    awaitRunning("host", "x", 0);
    eventually(
        () -> {
          PodStatus s = status("web");
          assertThat(s.phase()).isEqualTo(PodPhase.PENDING);
          assertThat(s.podIP()).isEmpty();
          assertThat(s.condition(PodCondition.POD_READY_TO_START_CONTAINERS).orElseThrow().status())
              .isFalse();
          assertThat(s.container("app").orElseThrow().state())
              .isEqualTo(
                  new ContainerState.Waiting(
                      "NetworkPluginNotReady",
                      "network plugin not ready: no pod CIDR is set; pass --pod-cidr"));
        });
    assertThat(runtime.count("start web-node1/app")).isZero();

    advanceWhenAsleep(PodWorker.SANDBOX_RETRY.toSeconds());
    eventually(() -> assertThat(runtime.count("sandbox failed web-node1")).isEqualTo(2));
    advanceWhenAsleep(PodWorker.SANDBOX_RETRY.toSeconds());

    awaitRunning("web", "app", 0);
    assertThat(runtime.count("sandbox failed web-node1")).isEqualTo(2);
    assertThat(status("web").podIP()).startsWith("10.244.0.");
  }

  @Test
  void aPodWaitingForItsNetworkIsRemovedWithoutStartingAnything() {
    runtime.failSandboxes("web-node1", 1, "NetworkPluginNotReady", "no network");
    apply(podNetworkPod("web", "uid1", container("app")));
    eventually(() -> assertThat(time.sleepers()).isEqualTo(1));

    apply();

    eventually(() -> assertThat(store.current().pods()).isEmpty());
    assertThat(runtime.count("start")).isZero();
    assertThat(runtime.events()).contains("removePod web-node1 uid1");
  }
}
