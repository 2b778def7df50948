package dev.kubeboot.cli.init;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubeboot.cli.options.RunnerOptions;
import dev.kubeboot.cli.systemd.ServiceManager;
import dev.kubeboot.cli.workflow.PhaseFailedException;
import dev.kubeboot.runner.RunnerSpec;
import dev.kubeboot.runner.Runners;
import dev.kubeboot.runner.StaticPodRunner;
import dev.kubeboot.runner.mirror.NodeTaint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * How init starts the runner: both starts pass the one spec built from init's context, and a runner
 * already on the port is left alone only when it is this node's.
 */
@Timeout(120)
class RunnerControlsTest {
  @TempDir Path tmp;
  private final FakeSystemd systemd = new FakeSystemd();
  private RunnerUnit unit;

  @org.junit.jupiter.api.BeforeEach
  void noSystemdUnlessATestSaysSo() {
    unit = new RunnerUnit(systemd, tmp.resolve("var-lib-kubeboot/kubeboot-flags.env"));
  }

  @org.junit.jupiter.api.AfterEach
  void stopWhatTheFakeSystemdStarted() {
    systemd.stopRunner();
  }

  /**
   * systemd as init and reset see it, recording what they ask. {@code enable --now} does what the
   * unit does: reads {@code KUBEBOOT_RUNNER_ARGS} from the flags file, splits it at white space as
   * {@code ExecStart} does, and starts the runner those flags describe (here, in this process).
   */
  private final class FakeSystemd implements ServiceManager {
    boolean booted;
    boolean enabled;
    final List<String> calls = new ArrayList<>();
    StaticPodRunner runner;

    @Override
    public boolean manages(String name) {
      calls.add("manages " + name);
      return booted;
    }

    @Override
    public boolean inUse(String name) {
      calls.add("in-use " + name);
      return enabled;
    }

    @Override
    public void enableNow(String name) throws IOException, InterruptedException {
      calls.add("enable --now " + name);
      String flags =
          Files.readAllLines(unit.flagsFile()).stream()
              .filter(l -> l.startsWith("KUBEBOOT_RUNNER_ARGS="))
              .findFirst()
              .orElseThrow()
              .replaceFirst("^KUBEBOOT_RUNNER_ARGS=\"(.*)\"$", "$1");
      runner =
          Runners.start(RunnerSpec.fromArgs(List.of(flags.split("\\s+")), RunnerTestHost.HOST));
      enabled = true;
    }

    @Override
    public void disableNow(String name) {
      calls.add("disable --now " + name);
      stopRunner();
      enabled = false;
    }

    void stopRunner() {
      if (runner != null) {
        runner.close();
        runner = null;
      }
    }
  }

  /** Records the specs it is asked to start and starts nothing. */
  private static final class RecordingStarter implements RunnerControls.Starter {
    final List<RunnerSpec> inProcess = new ArrayList<>();
    final List<List<String>> detached = new ArrayList<>();
    final List<RunnerSpec> detachedSpecs = new ArrayList<>();

    @Override
    public void inProcess(RunnerSpec spec) {
      inProcess.add(spec);
    }

    @Override
    public Runners.Detached detached(RunnerSpec spec, List<String> launcher) {
      detachedSpecs.add(spec);
      detached.add(Runners.detachedCommand(spec, launcher));
      return new Runners.Detached(4242, spec.stateDir().resolve("runner.log"));
    }
  }

  private PhaseFixture node(
      String name, int statusPort, boolean foreground, RecordingStarter starter) throws Exception {
    Path root = tmp.resolve(name);
    Files.createDirectories(root.resolve("kubernetes/manifests"));
    Path config = root.resolve("kubeadm.yaml");
    Files.writeString(
        config,
        """
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: InitConfiguration
        nodeRegistration:
          name: n1
          taints:
          - {key: example.com/dedicated, value: db, effect: NoExecute}
        localAPIEndpoint: {advertiseAddress: 192.0.2.10}
        ---
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: ClusterConfiguration
        kubernetesVersion: v1.33.4
        etcd: {local: {dataDir: %s}}
        ---
        apiVersion: kubelet.config.k8s.io/v1beta1
        kind: KubeletConfiguration
        fileCheckFrequency: 7s
        """
            .formatted(root.resolve("etcd-data")));
    var fixture = new PhaseFixture(root.resolve("kubernetes"));
    fixture.options.config = config;
    fixture.options.advertiseAddress = null;
    fixture.options.nodeName = null;
    fixture.options.kubernetesVersion = null;
    fixture.options.node.containerRuntime = "process";
    fixture.options.foreground = foreground;
    fixture.options.node.runner = RunnerOptions.of(statusPort, null);
    fixture.runners = (o, dryRun) -> RunnerControls.create(o, dryRun, starter, unit);
    return fixture;
  }

  @Test
  void theDetachedAndTheForegroundStartPassTheSameSpec() throws Exception {
    int port = PhaseFixture.freePort();
    var starter = new RecordingStarter();

    node("a", port, false, starter).run("runner-start");
    node("a", port, true, starter).run("runner-start");

    RunnerSpec detached = starter.detachedSpecs.getFirst();
    RunnerSpec foreground = starter.inProcess.getFirst();
    assertThat(foreground).isEqualTo(detached);
    // What the detached runner process reads back from its command line is that spec too.
    List<String> command = starter.detached.getFirst();
    List<String> launcher = RunnerControls.launcher();
    assertThat(command.subList(0, launcher.size())).isEqualTo(launcher);
    assertThat(
            RunnerSpec.fromArgs(
                command.subList(launcher.size(), command.size()), RunnerTestHost.HOST))
        .isEqualTo(detached);
  }

  @Test
  void theSpecCarriesEverythingInitConfigured() throws Exception {
    int port = PhaseFixture.freePort();
    var starter = new RecordingStarter();
    PhaseFixture fixture = node("a", port, false, starter);

    fixture.run("runner-start");

    RunnerSpec spec = starter.detachedSpecs.getFirst();
    Path kube = tmp.resolve("a/kubernetes");
    assertThat(spec.manifestPath()).isEqualTo(kube.resolve("manifests"));
    assertThat(spec.stateDir()).isEqualTo(kube.resolve("runner"));
    assertThat(spec.nodeName()).isEqualTo("n1");
    assertThat(spec.nodeIP()).isEqualTo("192.0.2.10");
    assertThat(spec.statusAddress().getPort()).isEqualTo(port);
    assertThat(spec.runtime()).isEqualTo("process");
    assertThat(spec.fileCheckFrequency()).isEqualTo(Duration.ofSeconds(7));
    assertThat(spec.kubernetesVersion()).isEqualTo("v1.33.4");
    assertThat(spec.kubeconfig()).contains(kube.resolve("kubelet.conf"));
    assertThat(spec.nodeLabels())
        .isEqualTo(
            Map.of(
                "node-role.kubernetes.io/control-plane", "",
                "node.kubernetes.io/exclude-from-external-load-balancers", ""));
    assertThat(spec.nodeTaints())
        .containsExactly(new NodeTaint("example.com/dedicated", "db", "NoExecute"));
    assertThat(fixture.out())
        .contains(
            "[runner-start] Starting the static-pod runner for \"" + kube.resolve("manifests"))
        .contains("The static-pod runner is running (pid 4242)");
  }

  @Test
  void withoutTaintsInTheConfigTheNodeGetsKubeadmsControlPlaneTaint() throws Exception {
    var starter = new RecordingStarter();
    PhaseFixture fixture = node("a", PhaseFixture.freePort(), false, starter);
    fixture.options.config = null;
    fixture.options.advertiseAddress = "192.0.2.10";
    fixture.options.nodeName = "n1";

    fixture.run("runner-start");

    assertThat(starter.detachedSpecs.getFirst().nodeTaints())
        .containsExactly(new NodeTaint("node-role.kubernetes.io/control-plane", "", "NoSchedule"));
  }

  @Test
  void thisNodesRunnerAlreadyServingIsLeftAlone() throws Exception {
    int port = PhaseFixture.freePort();
    var starter = new RecordingStarter();
    PhaseFixture fixture = node("a", port, false, starter);
    Path kube = tmp.resolve("a/kubernetes");
    StaticPodRunner running =
        Runners.start(
            RunnerSpec.builder(kube.resolve("manifests"), "n1", "127.0.0.1", kube.resolve("runner"))
                .statusPort(port)
                .runtime("process")
                .build());
    try {
      fixture.run("runner-start");
    } finally {
      running.close();
    }

    assertThat(starter.detached).isEmpty();
    assertThat(fixture.out())
        .contains("A static-pod runner already serves \"" + kube.resolve("manifests"));
  }

  @Test
  void anotherDirectorysRunnerOnThePortFailsTheStartNamingWhatItServes() throws Exception {
    int port = PhaseFixture.freePort();
    var starter = new RecordingStarter();
    PhaseFixture fixture = node("a", port, false, starter);
    Path other = tmp.resolve("other");
    Files.createDirectories(other.resolve("manifests"));
    StaticPodRunner running =
        Runners.start(
            RunnerSpec.builder(
                    other.resolve("manifests"), "n1", "127.0.0.1", other.resolve("state"))
                .statusPort(port)
                .runtime("process")
                .build());
    try {
      assertThatThrownBy(() -> fixture.run("runner-start"))
          .isInstanceOf(PhaseFailedException.class)
          .hasMessageContaining("port " + port + " is taken")
          .hasMessageContaining("serves " + other.resolve("manifests"));

      PhaseFixture foreground = node("b", port, true, starter);
      assertThatThrownBy(() -> foreground.run("runner-start"))
          .isInstanceOf(PhaseFailedException.class)
          .hasMessageContaining("--foreground cannot start a second one");
    } finally {
      running.close();
    }
    assertThat(starter.detached).isEmpty();
    assertThat(starter.inProcess).isEmpty();
  }

  @Test
  void aDryRunOnlySaysWhatItWouldDo() throws Exception {
    var starter = new RecordingStarter();
    PhaseFixture fixture = node("a", PhaseFixture.freePort(), false, starter);
    fixture.options.node.dryRun = true;

    fixture.run("runner-start", "wait-control-plane");

    assertThat(fixture.out())
        .contains("[dryrun] Would start the static-pod runner for")
        .contains("[dryrun] Would wait for the runner and the control-plane components");
    assertThat(starter.detached).isEmpty();
    assertThat(starter.inProcess).isEmpty();
  }

  @Test
  void theLauncherRunsTheRunnerCommandOfThisClassPath() {
    List<String> launcher = RunnerControls.launcher();

    assertThat(launcher.subList(launcher.size() - 2, launcher.size()))
        .containsExactly("dev.kubeboot.cli.Main", "runner");
    assertThat(launcher).contains("-cp", System.getProperty("java.class.path"));
  }

  @Test
  void waitingForAControlPlaneThatNeverComesFailsAfterTheTimeout() throws Exception {
    var starter = new RecordingStarter();
    PhaseFixture fixture = node("a", PhaseFixture.freePort(), false, starter);
    fixture.run("certs", "kubeconfig");
    fixture.options.node.timeout = "1s";

    assertThatThrownBy(() -> fixture.run("wait-control-plane"))
        .isInstanceOf(PhaseFailedException.class)
        .hasMessageContaining("runner");
    assertThat(fixture.out())
        .contains("[wait-control-plane] Waiting for the runner to boot up the control plane")
        .contains("This can take up to 1s");
  }

  @Test
  void underSystemdInitWritesTheUnitsFlagsAndEnablesItAndResetTakesItBack() throws Exception {
    int port = PhaseFixture.freePort();
    var starter = new RecordingStarter();
    PhaseFixture fixture = node("a", port, false, starter);
    systemd.booted = true;

    fixture.run("runner-start");

    assertThat(starter.detached).as("no detached child under systemd").isEmpty();
    assertThat(systemd.calls)
        .containsExactly("manages kubeboot-runner.service", "enable --now kubeboot-runner.service");
    Path flags = unit.flagsFile();
    List<String> lines = Files.readAllLines(flags);
    assertThat(lines.getFirst()).isEqualTo(RunnerUnit.MARKER);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(flags)))
        .isEqualTo("rw-r--r--");
    // The flags are the spec a detached start would have been given, every field of it.
    PhaseFixture detachedNode = node("a", port, false, starter);
    systemd.booted = false;
    systemd.stopRunner();
    detachedNode.run("runner-start");
    RunnerSpec spec = starter.detachedSpecs.getFirst();
    assertThat(lines.get(1))
        .isEqualTo("KUBEBOOT_RUNNER_ARGS=\"" + String.join(" ", spec.toArgs()) + "\"");
    assertThat(fixture.out())
        .contains("[runner-start] Writing the runner's flags to \"" + flags + "\"")
        .contains(
            "The static-pod runner is running under systemd (pid "
                + ProcessHandle.current().pid()
                + "; systemctl status kubeboot-runner.service)");

    systemd.booted = true;
    systemd.calls.clear();
    RunnerUnit.Stop plan = unit.plan();
    assertThat(plan).isEqualTo(new RunnerUnit.Stop(true, true));
    unit.stop(plan);
    assertThat(systemd.calls)
        .containsExactly(
            "manages kubeboot-runner.service",
            "in-use kubeboot-runner.service",
            "disable --now kubeboot-runner.service");
    assertThat(flags).doesNotExist();
  }

  @Test
  void aFlagSystemdWouldSplitFailsTheStartBeforeAnythingIsWrittenOrEnabled() throws Exception {
    var starter = new RecordingStarter();
    PhaseFixture fixture = node("with space", PhaseFixture.freePort(), false, starter);
    systemd.booted = true;

    assertThatThrownBy(() -> fixture.run("runner-start"))
        .isInstanceOf(PhaseFailedException.class)
        .hasMessageContaining("cannot go into kubeboot-runner.service's flags file")
        .hasMessageContaining(tmp.resolve("with space/kubernetes/manifests").toString());
    assertThat(systemd.calls).containsExactly("manages kubeboot-runner.service");
    assertThat(unit.flagsFile()).doesNotExist();
    assertThat(starter.detached).isEmpty();
  }

  @Test
  void resetLeavesAFlagsFileInitDidNotWriteAndAUnitNotInUse() throws Exception {
    Files.createDirectories(unit.flagsFile().getParent());
    Files.writeString(unit.flagsFile(), "KUBEBOOT_RUNNER_ARGS=\"--node-name mine\"\n");
    systemd.booted = true;

    RunnerUnit.Stop plan = unit.plan();
    unit.stop(plan);

    assertThat(plan.isEmpty()).isTrue();
    assertThat(systemd.calls).doesNotContain("disable --now kubeboot-runner.service");
    assertThat(unit.flagsFile()).hasContent("KUBEBOOT_RUNNER_ARGS=\"--node-name mine\"\n");
  }

  @Test
  void aFlagsDirectoryAnotherUserOwnsIsRefusedBeforeTheFlagsAreWrittenOrTheUnitEnabled()
      throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        (int) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0,
        "the attack needs root, to give the directory to another user");
    var starter = new RecordingStarter();
    PhaseFixture fixture = node("a", PhaseFixture.freePort(), false, starter);
    Path dir = Files.createDirectories(unit.flagsFile().getParent());
    // nobody, owning the directory, could swap the flags root's runner is started with.
    Files.setOwner(
        dir, dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
    systemd.booted = true;

    assertThatThrownBy(() -> fixture.run("runner-start"))
        .isInstanceOf(PhaseFailedException.class)
        .hasMessageContaining(dir.toString());
    assertThat(systemd.calls).containsExactly("manages kubeboot-runner.service");
    assertThat(unit.flagsFile()).doesNotExist();
    assertThat(starter.detached).isEmpty();
  }

  /** Defaults a spec read from flags never needs: every flag is given. */
  private static final class RunnerTestHost {
    static final RunnerSpec.HostDefaults HOST =
        new RunnerSpec.HostDefaults() {
          @Override
          public String nodeName() {
            throw new AssertionError("the detached command names the node");
          }

          @Override
          public String nodeIP() {
            throw new AssertionError("the detached command names the node IP");
          }
        };
  }
}
