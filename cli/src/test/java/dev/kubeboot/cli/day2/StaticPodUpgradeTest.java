package dev.kubeboot.cli.day2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubeboot.cli.health.HealthCheck;
import dev.kubeboot.cli.io.AtomicFileSink;
import dev.kubeboot.cli.output.Printer;
import dev.kubeboot.runner.pod.PodKey;
import dev.kubeboot.runner.status.ContainerState;
import dev.kubeboot.runner.status.ContainerStatus;
import dev.kubeboot.runner.status.PodCondition;
import dev.kubeboot.runner.status.PodPhase;
import dev.kubeboot.runner.status.PodStatus;
import dev.kubeboot.runner.worker.Sleeper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-component state machine against a scripted runner and a clock that sleeps instantly. */
class StaticPodUpgradeTest {
  private static final Duration TIMEOUT = Duration.ofMinutes(5);
  private static final Duration POLL = Duration.ofMillis(500);
  private static final byte[] OLD =
      "image: kube-apiserver:v1.33.6\n".getBytes(StandardCharsets.UTF_8);
  private static final byte[] NEW =
      "image: kube-apiserver:v1.34.2\n".getBytes(StandardCharsets.UTF_8);

  @TempDir Path tmp;
  private Path manifest;
  private Path backups;
  private FakeTime time;
  private StringWriter out;

  @BeforeEach
  void setUp() throws Exception {
    manifest = tmp.resolve("manifests/kube-apiserver.yaml");
    Files.createDirectories(manifest.getParent());
    Files.write(manifest, OLD);
    backups = tmp.resolve("tmp/kubeadm-backup-manifests-2026-01-01-00-00-00");
    time = new FakeTime();
    out = new StringWriter();
  }

  private StaticPodUpgrade upgrade(ControlPlaneWatch watch) {
    return new StaticPodUpgrade(
        new AtomicFileSink(),
        watch,
        time,
        time,
        TIMEOUT,
        POLL,
        new Printer(new PrintWriter(out, true)));
  }

  @Test
  void aHealthyNewPodUpgradesTheComponentAndKeepsTheOldManifest() throws Exception {
    var runner = new FakeRunner(manifest, content -> true, 3);
    var outcome =
        upgrade(runner).upgrade(ManifestComponent.KUBE_APISERVER, manifest, NEW, backups, () -> {});

    assertThat(outcome).isInstanceOf(StaticPodUpgrade.Upgraded.class);
    assertThat(Files.readAllBytes(manifest)).isEqualTo(NEW);
    assertThat(Files.readAllBytes(backups.resolve("kube-apiserver.yaml"))).isEqualTo(OLD);
    assertThat(runner.uidsSeen).containsExactly(uid(OLD), uid(NEW));
    // The runner took three polls to notice: the upgrade waited for it, not for the clock.
    assertThat(Duration.between(FakeTime.START, time.instant())).isEqualTo(POLL.multipliedBy(3));
    assertThat(out.toString())
        .contains("[upgrade/staticpods] Component \"kube-apiserver\" upgraded successfully!");
  }

  @Test
  void anEqualManifestIsLeftAloneAndTheHookDoesNotRun() throws Exception {
    var hookRan = new AtomicBoolean();
    var outcome =
        upgrade(new FakeRunner(manifest, content -> true, 0))
            .upgrade(
                ManifestComponent.KUBE_APISERVER, manifest, OLD, backups, () -> hookRan.set(true));

    assertThat(outcome).isInstanceOf(StaticPodUpgrade.Unchanged.class);
    assertThat(hookRan).isFalse();
    assertThat(backups).doesNotExist();
    assertThat(out.toString()).contains("Current and new manifests of kube-apiserver are equal");
  }

  @Test
  void aNewPodThatNeverGetsHealthyIsRolledBackToTheOldManifestAndTheOldPod() throws Exception {
    var runner = new FakeRunner(manifest, content -> !new String(content).contains("v1.34"), 2);
    var outcome =
        upgrade(runner).upgrade(ManifestComponent.KUBE_APISERVER, manifest, NEW, backups, () -> {});

    assertThat(outcome).isInstanceOf(StaticPodUpgrade.RolledBack.class);
    var rolledBack = (StaticPodUpgrade.RolledBack) outcome;
    assertThat(rolledBack.reason())
        .contains("pod kube-apiserver-n1 is not ready")
        .contains("container kube-apiserver is waiting (CrashLoopBackOff")
        .contains("last exit code 1")
        .endsWith("after 5m0s");
    assertThat(rolledBack.rollbackProblem()).isEmpty();
    assertThat(Files.readAllBytes(manifest)).isEqualTo(OLD);
    assertThat(runner.uidsSeen).containsExactly(uid(OLD), uid(NEW), uid(OLD));
    assertThat(out.toString())
        .contains("restoring its old manifest")
        .contains("Component \"kube-apiserver\" runs its old manifest again");
  }

  @Test
  void aHealthEndpointThatStaysRedIsRolledBackNamingWhatItAnswered() throws Exception {
    var runner = new FakeRunner(manifest, content -> true, 1);
    runner.healthy = content -> !new String(content).contains("v1.34");
    var outcome =
        upgrade(runner).upgrade(ManifestComponent.KUBE_APISERVER, manifest, NEW, backups, () -> {});

    assertThat(((StaticPodUpgrade.RolledBack) outcome).reason())
        .startsWith("its health check answers HTTP 500: [-]etcd failed");
    assertThat(Files.readAllBytes(manifest)).isEqualTo(OLD);
  }

  @Test
  void whenTheOldPodDoesNotComeBackEitherTheOutcomeSaysSo() throws Exception {
    var runner = new FakeRunner(manifest, content -> false, 1);
    var outcome =
        upgrade(runner).upgrade(ManifestComponent.KUBE_APISERVER, manifest, NEW, backups, () -> {});

    var rolledBack = (StaticPodUpgrade.RolledBack) outcome;
    assertThat(rolledBack.rollbackProblem()).get().asString().contains("is not ready");
    assertThat(Files.readAllBytes(manifest)).isEqualTo(OLD);
  }

  @Test
  void aRunnerThatNeverNoticesTheNewManifestTimesOutNamingThat() throws Exception {
    var runner = new FakeRunner(manifest, content -> true, Integer.MAX_VALUE);
    var outcome =
        upgrade(runner).upgrade(ManifestComponent.KUBE_APISERVER, manifest, NEW, backups, () -> {});

    assertThat(((StaticPodUpgrade.RolledBack) outcome).reason())
        .contains("the runner still runs the pod of the other manifest");
  }

  @Test
  void aFailingHookLeavesTheManifestUntouched() throws Exception {
    var runner = new FakeRunner(manifest, content -> true, 0);
    assertThatThrownBy(
            () ->
                upgrade(runner)
                    .upgrade(
                        ManifestComponent.KUBE_APISERVER,
                        manifest,
                        NEW,
                        backups,
                        () -> {
                          throw new IllegalStateException("snapshot failed");
                        }))
        .hasMessage("snapshot failed");
    assertThat(Files.readAllBytes(manifest)).isEqualTo(OLD);
    assertThat(backups).doesNotExist();
  }

  static String uid(byte[] content) {
    try {
      return HexFormat.of()
          .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(content))
          .substring(0, 32);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * A runner as the upgrade sees it: it runs the manifest on disk, noticing a change only after
   * {@code lag} polls; the pod is Ready when {@code ready} accepts the content it runs.
   */
  static final class FakeRunner implements ControlPlaneWatch {
    final List<String> uidsSeen = new ArrayList<>();
    private final Path manifest;
    private final Predicate<byte[]> ready;
    Predicate<byte[]> healthy = content -> true;
    private final int lag;
    private byte[] running;
    private byte[] pending;
    private int waited;

    FakeRunner(Path manifest, Predicate<byte[]> ready, int lag) throws Exception {
      this.manifest = manifest;
      this.ready = ready;
      this.lag = lag;
      this.running = Files.readAllBytes(manifest);
      uidsSeen.add(uid(running));
    }

    @Override
    public Optional<PodStatus> pod(Path file) throws InterruptedException {
      assertThat(file).isEqualTo(manifest);
      byte[] onDisk;
      try {
        onDisk = Files.readAllBytes(manifest);
      } catch (java.io.IOException e) {
        return Optional.empty();
      }
      if (!java.util.Arrays.equals(onDisk, running)) {
        if (pending == null || !java.util.Arrays.equals(onDisk, pending)) {
          pending = onDisk;
          waited = 0;
        }
        if (waited++ >= lag) {
          running = pending;
          pending = null;
          uidsSeen.add(uid(running));
        }
      }
      boolean isReady = ready.test(running);
      ContainerState state =
          isReady
              ? new ContainerState.Running(FakeTime.START)
              : new ContainerState.Waiting("CrashLoopBackOff", "back-off 10s restarting");
      var container =
          new ContainerStatus(
              "kube-apiserver",
              state,
              isReady
                  ? Optional.empty()
                  : Optional.of(
                      new ContainerState.Terminated(1, "Error", FakeTime.START, FakeTime.START)),
              isReady,
              isReady,
              isReady ? 0 : 2,
              "registry.k8s.io/kube-apiserver:v1.34.2",
              "process://1");
      return Optional.of(
          new PodStatus(
              new PodKey("kube-system", "kube-apiserver-n1"),
              uid(running),
              manifest.toString(),
              isReady ? PodPhase.RUNNING : PodPhase.PENDING,
              List.of(new PodCondition(PodCondition.READY, isReady, FakeTime.START)),
              List.of(),
              List.of(container),
              Optional.of(FakeTime.START),
              "127.0.0.1",
              "127.0.0.1"));
    }

    @Override
    public HealthCheck.Result health(ManifestComponent component) {
      return healthy.test(running)
          ? new HealthCheck.Result(true, "HTTP 200", Duration.ZERO)
          : new HealthCheck.Result(false, "HTTP 500: [-]etcd failed", Duration.ZERO);
    }
  }

  /** A clock that moves only when slept on. */
  static final class FakeTime extends Clock implements Sleeper {
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private Instant now = START;

    @Override
    public void sleepUntil(Instant deadline) {
      if (deadline.isAfter(now)) {
        now = deadline;
      }
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
