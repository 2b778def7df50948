package dev.kubeboot.runner.runtime.cri;

import static dev.kubeboot.runner.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubeboot.runner.pod.Container;
import dev.kubeboot.runner.pod.EnvVar;
import dev.kubeboot.runner.pod.ImagePullPolicy;
import dev.kubeboot.runner.pod.Resources;
import dev.kubeboot.runner.pod.SecurityContext;
import dev.kubeboot.runner.pod.StaticPod;
import dev.kubeboot.runner.pod.Volume;
import dev.kubeboot.runner.pod.VolumeMount;
import dev.kubeboot.runner.pod.VolumeSource;
import dev.kubeboot.runner.runtime.ContainerHandle;
import dev.kubeboot.runner.runtime.ContainerStartException;
import dev.kubeboot.runner.runtime.EnginePods;
import dev.kubeboot.runner.runtime.ExecResult;
import dev.kubeboot.runner.runtime.ExitStatus;
import dev.kubeboot.runner.runtime.cri.v1.Cri;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The CRI runtime against a real, private containerd 1.6 (scripts/containerd-test-env.sh). */
@Timeout(120)
class CriContainerRuntimeIT {
  private static final Logger LOG = LoggerFactory.getLogger(CriContainerRuntimeIT.class);
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;
  private CriContainerRuntime runtime;

  @BeforeAll
  static void containerd() {
    CriEngine.requireContainerd();
  }

  @BeforeEach
  void connect() {
    runtime = new CriContainerRuntime(options());
  }

  private CriRuntimeOptions options() {
    return CriRuntimeOptions.of(dir.resolve("state"))
        .withEndpoint(CriEngine.ENDPOINT)
        .withPodLogsDir(dir.resolve("pods"))
        .withPollInterval(Duration.ofMillis(100));
  }

  @AfterEach
  void close() {
    if (runtime != null) {
      runtime.close();
    }
    CriEngine.removePods(made);
  }

  private final List<String> made = new java.util.ArrayList<>();

  /** Every pod a test runs goes through here, so that clean-up removes exactly those. */
  private StaticPod track(StaticPod pod) {
    made.add(pod.uid());
    return pod;
  }

  @Test
  void aPodRunsInASandboxThatCtrListsAndLogsWhereTheKubeletWould() throws Exception {
    Container main =
        EnginePods.with(
            EnginePods.shell("main", "echo hello from $POD; sleep 3600"),
            ImagePullPolicy.IF_NOT_PRESENT,
            List.of(),
            List.of(new EnvVar("POD", "hello")),
            Optional.of("/tmp"),
            List.of(new VolumeMount("data", "/data", true)),
            SecurityContext.NONE,
            new Resources(Map.of("cpu", "100m"), Map.of("cpu", "500m", "memory", "64Mi")));
    Path data = dir.resolve("data");
    StaticPod pod =
        track(
            EnginePods.pod(
                "hello",
                true,
                List.of(main),
                List.of(
                    new Volume(
                        "data", new VolumeSource.HostPath(data.toString(), "DirectoryOrCreate")))));
    long began = System.nanoTime();
    ContainerHandle h = runtime.start(pod, pod.spec().containers().get(0), 0);
    LOG.info(
        "first start (RunPodSandbox + create + start): {} ms",
        Duration.ofNanos(System.nanoTime() - began).toMillis());

    List<Cri.PodSandbox> sandboxes = CriEngine.sandboxes(pod.uid());
    assertThat(sandboxes).hasSize(1);
    Cri.PodSandbox sandbox = sandboxes.get(0);
    assertThat(sandbox.getMetadata().getName()).isEqualTo("hello-node1");
    assertThat(sandbox.getMetadata().getNamespace()).isEqualTo("kube-system");
    assertThat(sandbox.getLabelsMap()).containsEntry(CriLabels.POD_UID, pod.uid());
    assertThat(CriEngine.ctrContainerIds()).contains(h.id(), sandbox.getId());
    assertThat(h.containerName()).isEqualTo("main");
    assertThat(h.attempt()).isZero();

    Path log = runtime.logPath(h).orElseThrow();
    assertThat(log)
        .isEqualTo(dir.resolve("pods/kube-system_hello-node1_" + pod.uid() + "/main/0.log"));
    eventually(WAIT, () -> assertThat(Files.readString(log)).contains("stdout F hello from hello"));
    // What `kubeboot logs` shows: the line without the CRI prefix.
    var out = new java.io.ByteArrayOutputStream();
    runtime.copyLog(
        new dev.kubeboot.runner.runtime.LogQuery(pod.key(), pod.uid(), "main", false, false), out);
    assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8))
        .contains("hello from hello\n");
    assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("stdout F");

    Files.writeString(data.resolve("x"), "from the host");
    assertThat(runtime.exec(h, List.of("cat", "/data/x"), Duration.ofSeconds(5)).output())
        .isEqualTo("from the host");
    assertThat(runtime.exec(h, List.of("touch", "/data/y"), Duration.ofSeconds(5)).exitCode())
        .isNotZero();
    Path memoryLimit =
        CriEngine.CGROUPS.directories(pod.uid()).stream()
            .filter(d -> d.toString().startsWith("/sys/fs/cgroup/memory/"))
            .findFirst()
            .orElseThrow()
            .resolve(h.id())
            .resolve("memory.limit_in_bytes");
    if (Files.exists(memoryLimit)) {
      assertThat(Files.readString(memoryLimit).strip()).isEqualTo(Long.toString(64L * 1024 * 1024));
    }
    ExecResult pwd = runtime.exec(h, List.of("pwd"), Duration.ofSeconds(5));
    assertThat(pwd.output()).isEqualTo("/tmp\n");
    ExecResult ok =
        runtime.exec(
            h, List.of("sh", "-c", "echo out; echo err >&2; exit 3"), Duration.ofSeconds(5));
    assertThat(ok.exitCode()).isEqualTo(3);
    assertThat(ok.output()).contains("out").contains("err");
    assertThat(ok.timedOut()).isFalse();

    ExecResult slow = runtime.exec(h, List.of("sleep", "10"), Duration.ofSeconds(1));
    assertThat(slow.timedOut()).isTrue();
  }

  @Test
  void execRunsAsTheContainersUserWhichTheEngineKeeps() throws Exception {
    Container main =
        EnginePods.with(
            EnginePods.shell("main", "sleep 3600"),
            ImagePullPolicy.IF_NOT_PRESENT,
            List.of(),
            List.of(),
            Optional.empty(),
            List.of(),
            new SecurityContext(false, Optional.of(1234L), Optional.of(5678L)),
            Resources.NONE);
    StaticPod pod = track(EnginePods.pod("runas", true, List.of(main), List.of()));
    ContainerHandle h = runtime.start(pod, main, 0);

    assertThat(runtime.exec(h, List.of("id"), Duration.ofSeconds(5)).output())
        .startsWith("uid=1234 gid=5678");
  }

  @Test
  void exitsAreDetectedWithinAFewPollIntervals() throws Exception {
    StaticPod pod = track(EnginePods.pod("latency", EnginePods.shell("main", "sleep 3600")));
    List<Long> millis = new java.util.ArrayList<>();
    for (int attempt = 0; attempt < 7; attempt++) {
      ContainerHandle h = runtime.start(pod, pod.spec().containers().get(0), attempt);
      CompletableFuture<ExitStatus> exit = runtime.onExit(h).toCompletableFuture();
      long pid = CriEngine.taskPid(h.id());
      long killed = System.nanoTime();
      CriEngine.run(Duration.ofSeconds(5), "kill", "-9", Long.toString(pid));
      exit.get(10, TimeUnit.SECONDS);
      millis.add(Duration.ofNanos(System.nanoTime() - killed).toMillis());
    }
    List<Long> sorted = millis.stream().sorted().toList();
    LOG.info(
        "kill -9 -> onExit at a 100 ms poll interval: {} ms (median {} ms)", millis, sorted.get(3));
    assertThat(sorted.get(3)).isLessThan(1000);
  }

  @Test
  void exitsComeFromContainerdsEventServiceWithoutPolling() throws Exception {
    // An hour between polls: only containerd's /tasks/exit events can report these exits.
    runtime.close();
    runtime = new CriContainerRuntime(options().withPollInterval(Duration.ofHours(1)));
    StaticPod pod = track(EnginePods.pod("events", EnginePods.shell("main", "sleep 3600")));
    List<Long> millis = new java.util.ArrayList<>();
    for (int attempt = 0; attempt < 3; attempt++) {
      ContainerHandle h = runtime.start(pod, pod.spec().containers().get(0), attempt);
      CompletableFuture<ExitStatus> exit = runtime.onExit(h).toCompletableFuture();
      long pid = CriEngine.taskPid(h.id());
      long killed = System.nanoTime();
      CriEngine.run(Duration.ofSeconds(5), "kill", "-9", Long.toString(pid));
      ExitStatus status = exit.get(10, TimeUnit.SECONDS);
      millis.add(Duration.ofNanos(System.nanoTime() - killed).toMillis());
      assertThat(status.exitCode()).isEqualTo(137);
      assertThat(status.reason()).isEqualTo("Error");
    }
    LOG.info("kill -9 -> onExit through containerd's events: {} ms", millis);
    // containerd 1.6 has no CRI GetContainerEvents; its own event service answers on the socket.
    assertThat(runtime.exitEventSource()).isEqualTo(ExitEvents.Source.CONTAINERD);
  }

  @Test
  void aSecondContainerOfThePodJoinsTheSameSandbox() throws Exception {
    Container a = EnginePods.shell("a", "sleep 3600");
    Container b = EnginePods.shell("b", "sleep 3600");
    StaticPod pod = track(EnginePods.pod("pair", true, List.of(a, b), List.of()));
    runtime.start(pod, a, 0);
    long began = System.nanoTime();
    runtime.start(pod, b, 0);
    LOG.info(
        "create + start in a running sandbox: {} ms",
        Duration.ofNanos(System.nanoTime() - began).toMillis());
    assertThat(CriEngine.sandboxes(pod.uid())).hasSize(1);
  }

  @Test
  void killMinusNineOfTheContainerProcessIsReportedAsAnExit() throws Exception {
    StaticPod pod = track(EnginePods.pod("victim", EnginePods.shell("main", "sleep 3600")));
    ContainerHandle h = runtime.start(pod, pod.spec().containers().get(0), 0);
    CompletableFuture<ExitStatus> exit = runtime.onExit(h).toCompletableFuture();
    assertThat(exit).isNotDone();

    long pid = CriEngine.taskPid(h.id());
    long killed = System.nanoTime();
    CriEngine.run(Duration.ofSeconds(5), "kill", "-9", Long.toString(pid));
    ExitStatus status = exit.get(10, TimeUnit.SECONDS);
    LOG.info(
        "kill -9 -> onExit: {} ms (poll interval 100 ms)",
        Duration.ofNanos(System.nanoTime() - killed).toMillis());

    assertThat(status.exitCode()).isEqualTo(137);
    assertThat(status.reason()).isEqualTo("Error");

    // The next attempt runs beside the dead one (kept for logs --previous) in the same sandbox.
    ContainerHandle again = runtime.start(pod, pod.spec().containers().get(0), 1);
    assertThat(again.id()).isNotEqualTo(h.id());
    assertThat(runtime.logPath(again).orElseThrow().getFileName()).hasToString("1.log");
    assertThat(CriEngine.sandboxes(pod.uid())).hasSize(1);
    assertThat(CriEngine.ctrContainerIds()).contains(h.id(), again.id());
  }

  @Test
  void stopEndsTheContainerAndRemovePodRemovesSandboxContainersAndCgroup() throws Exception {
    StaticPod pod = track(EnginePods.pod("stopper", EnginePods.shell("main", "sleep 3600")));
    ContainerHandle h = runtime.start(pod, pod.spec().containers().get(0), 0);
    String sandbox = CriEngine.sandboxes(pod.uid()).get(0).getId();
    List<Path> cgroups = CriEngine.CGROUPS.directories(pod.uid());
    assertThat(cgroups).anyMatch(Files::isDirectory);

    runtime.stop(h, Duration.ofSeconds(1));

    ExitStatus status = runtime.onExit(h).toCompletableFuture().get(5, TimeUnit.SECONDS);
    // busybox sleep as pid 1 ignores SIGTERM: SIGKILL after the grace period.
    assertThat(status.exitCode()).isIn(137, 143);

    runtime.removePod(pod.key(), pod.uid());

    assertThat(CriEngine.sandboxes(pod.uid())).isEmpty();
    assertThat(CriEngine.ctrContainerIds()).doesNotContain(h.id(), sandbox);
    assertThat(cgroups).noneMatch(Files::exists);
    assertThat(runtime.logPath(h).orElseThrow()).exists();
  }

  @Test
  void aMissingImageIsErrImagePullWithTheRuntimesMessage() {
    Container c =
        EnginePods.withImage(
            EnginePods.shell("main", "true"),
            "kubeboot.test/absent:1",
            ImagePullPolicy.IF_NOT_PRESENT);
    StaticPod pod = track(EnginePods.pod("absent", c));

    assertThatThrownBy(() -> runtime.start(pod, c, 0))
        .isInstanceOfSatisfying(
            ContainerStartException.class,
            e -> {
              assertThat(e.reason()).isEqualTo("ErrImagePull");
              assertThat(e.getMessage())
                  .contains("failed to pull image \"kubeboot.test/absent:1\"")
                  .contains("main")
                  .contains("kube-system/absent-node1");
            });
    assertThat(CriEngine.sandboxes(pod.uid())).isEmpty();
  }

  @Test
  void aMissingImageUnderNeverIsErrImageNeverPull() {
    Container c =
        EnginePods.withImage(
            EnginePods.shell("main", "true"), "kubeboot.test/absent:1", ImagePullPolicy.NEVER);
    StaticPod pod = track(EnginePods.pod("never", c));

    assertThatThrownBy(() -> runtime.start(pod, c, 0))
        .isInstanceOfSatisfying(
            ContainerStartException.class,
            e -> assertThat(e.reason()).isEqualTo("ErrImageNeverPull"));
  }

  @Test
  void aPodWithoutHostNetworkWaitsForAPodNetworkWhileNoneIsConfigured() {
    // This runtime has no --pod-cidr and containerd no usable CNI config: CriPodNetworkIT has the
    // rest.
    Container c = EnginePods.shell("main", "sleep 3600");
    StaticPod pod = track(EnginePods.pod("podnet", false, List.of(c), List.of()));

    assertThatThrownBy(() -> runtime.start(pod, c, 0))
        .isInstanceOfSatisfying(
            ContainerStartException.class,
            e -> {
              assertThat(e.reason()).isEqualTo("NetworkPluginNotReady");
              assertThat(e.getMessage()).contains("network not ready");
            });
    assertThat(CriEngine.sandboxes(pod.uid())).isEmpty();
  }

  @Test
  void aNewRuntimeInstanceAdoptsRunningContainersAndSeesTheirExit() throws Exception {
    StaticPod pod = track(EnginePods.pod("adoptee", EnginePods.shell("main", "sleep 3600")));
    ContainerHandle h = runtime.start(pod, pod.spec().containers().get(0), 2);
    runtime.close();
    runtime = new CriContainerRuntime(options());

    // Only this pod's: another test run may share the test containerd.
    List<ContainerHandle> owned =
        runtime.listOwned().stream().filter(c -> c.podUid().equals(pod.uid())).toList();

    assertThat(owned).hasSize(1);
    ContainerHandle adopted = owned.get(0);
    assertThat(adopted.id()).isEqualTo(h.id());
    assertThat(adopted.pod()).isEqualTo(pod.key());
    assertThat(adopted.podUid()).isEqualTo(pod.uid());
    assertThat(adopted.attempt()).isEqualTo(2);
    assertThat(adopted.configHash()).isEqualTo(h.configHash());
    assertThat(adopted.startedAt()).isEqualTo(h.startedAt());

    CompletableFuture<ExitStatus> exit = runtime.onExit(adopted).toCompletableFuture();
    CriEngine.run(Duration.ofSeconds(5), "kill", "-9", Long.toString(CriEngine.taskPid(h.id())));
    assertThat(exit.get(10, TimeUnit.SECONDS).exitCode()).isEqualTo(137);

    // A later container of the same pod reuses the adopted sandbox.
    runtime.start(pod, pod.spec().containers().get(0), 3);
    assertThat(CriEngine.sandboxes(pod.uid())).hasSize(1);
  }

  @Test
  void availableTellsACriSocketFromAMissingOne() {
    assertThat(CriContainerRuntime.available(CriEngine.ENDPOINT)).isTrue();
    assertThat(CriContainerRuntime.available("unix://" + dir.resolve("none.sock"))).isFalse();
    assertThat(CriContainerRuntime.available("tcp://127.0.0.1:1")).isFalse();
  }

  @Test
  void aMissingEndpointIsAClearError() {
    String endpoint = "unix://" + dir.resolve("none.sock");
    assertThatThrownBy(() -> new CriContainerRuntime(options().withEndpoint(endpoint)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no CRI socket at " + endpoint);
  }
}
