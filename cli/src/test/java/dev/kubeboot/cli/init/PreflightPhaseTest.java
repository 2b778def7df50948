package dev.kubeboot.cli.init;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubeboot.cli.io.FileMode;
import dev.kubeboot.cli.options.RunnerOptions;
import dev.kubeboot.cli.workflow.PhaseFailedException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Phase "preflight": kubeadm's checks, over a scripted host; all failures reported at once. */
class PreflightPhaseTest {
  @TempDir Path tmp;
  private final StringWriter busyOut = new StringWriter();
  private final List<String> runnerCalls = new ArrayList<>();

  static Stream<Arguments> fatalFindings() {
    return Stream.of(
        Arguments.of("one CPU", "NumCPU", (Consumer<PhaseFixture>) f -> f.system.cpus = 1),
        Arguments.of(
            "1 GB of memory", "Mem", (Consumer<PhaseFixture>) f -> f.system.memory = 1L << 30),
        Arguments.of(
            "the API server's port in use",
            "Port-6443",
            (Consumer<PhaseFixture>) f -> f.system.busyPorts.add(6443)),
        Arguments.of(
            "etcd's client port in use",
            "Port-2379",
            (Consumer<PhaseFixture>) f -> f.system.busyPorts.add(2379)),
        Arguments.of(
            "the runner's status port in use",
            "Port-10248",
            (Consumer<PhaseFixture>) f -> f.system.busyPorts.add(10248)),
        Arguments.of(
            "a configured status port in use",
            "Port-18248",
            (Consumer<PhaseFixture>)
                f -> {
                  f.options.node.runner = RunnerOptions.of(18248, null);
                  f.system.busyPorts.add(18248);
                }),
        Arguments.of(
            "a manifest kubeboot did not write",
            "FileAvailable-",
            (Consumer<PhaseFixture>)
                f ->
                    f.sink.write(
                        f.layout().manifest("kube-apiserver.yaml"),
                        "kind: Pod\n".getBytes(StandardCharsets.UTF_8),
                        FileMode.MANIFEST)));
  }

  @ParameterizedTest(name = "{0} fails check {1}")
  @MethodSource("fatalFindings")
  void aFatalFindingStopsInitBeforeAnyOtherPhase(
      String sentence, String check, Consumer<PhaseFixture> setup) {
    var f = new PhaseFixture(tmp);
    setup.accept(f);

    assertThatThrownBy(() -> f.run("preflight"))
        .isInstanceOf(PhaseFailedException.class)
        .hasMessageContaining("[ERROR " + check);
  }

  @Test
  void aHealthyHostPasses() throws Exception {
    var f = new PhaseFixture(tmp);

    f.run("preflight");

    assertThat(f.out()).contains("[preflight] Running pre-flight checks").doesNotContain("ERROR");
  }

  @Test
  void everyFailureIsReportedTogetherAndIgnoredOnesBecomeWarnings() throws Exception {
    var f = new PhaseFixture(tmp);
    f.system.cpus = 1;
    f.system.memory = 1L << 30;
    f.system.busyPorts.add(10257);

    assertThatThrownBy(() -> f.run("preflight"))
        .hasMessageContaining("[ERROR NumCPU]")
        .hasMessageContaining("[ERROR Mem]")
        .hasMessageContaining("[ERROR Port-10257]");

    f.options.node.ignorePreflightErrors = List.of("NumCPU", "mem", "Port-10257");
    f.run("preflight");
    assertThat(f.out())
        .contains("[WARNING NumCPU]")
        .contains("[WARNING Mem]")
        .contains("[WARNING Port-10257]");
  }

  @Test
  void swapOnlyWarns() throws Exception {
    var f = new PhaseFixture(tmp);
    f.system.swap = true;

    f.run("preflight");

    assertThat(f.out()).contains("[WARNING Swap]");
  }

  @Test
  void withoutRootAndWithPathsOnlyRootCanWriteItFails() {
    var f = new PhaseFixture(Path.of("/etc/kubernetes"));
    f.system.root = false;

    assertThatThrownBy(() -> f.run("preflight")).hasMessageContaining("[ERROR IsPrivilegedUser]");
  }

  @Test
  void withoutRootUnderADirectoryOfItsOwnItPasses() throws Exception {
    var f = new PhaseFixture(tmp);
    f.system.root = false;

    f.run("preflight");

    assertThat(f.out()).doesNotContain("IsPrivilegedUser");
  }

  /**
   * A busy host: nothing free, enough CPUs and memory. On it preflight is fatal when this init
   * starts the runner, and warns for a render-only run (runner-start skipped), which starts
   * nothing.
   */
  private static final class BusyHost implements SystemFacts {
    @Override
    public int cpus() {
      return 2;
    }

    @Override
    public long memoryBytes() {
      return 4L << 30;
    }

    @Override
    public boolean isRoot() {
      return false;
    }

    @Override
    public boolean portFree(int port) {
      return false;
    }

    @Override
    public boolean swapOn() {
      return false;
    }

    @Override
    public Optional<Path> onPath(String executable) {
      return Optional.empty();
    }
  }

  /** A session on {@link BusyHost}, its runner calls recorded. */
  private InitSession busySession() {
    return new InitSession(
        new PrintWriter(busyOut, true),
        new PrintWriter(new StringWriter(), true),
        Clock.systemUTC(),
        Map.of(),
        new BusyHost(),
        (options, dryRun) ->
            new RunnerControl() {
              @Override
              public void start(InitContext context) {
                runnerCalls.add("start");
              }

              @Override
              public void waitForControlPlane(InitContext context) {
                runnerCalls.add("wait");
              }
            });
  }

  /** A config whose etcd data directory holds data. */
  private InitOptions busyOptions() throws Exception {
    Path config = tmp.resolve("kubeadm.yaml");
    Path data = Files.createDirectories(tmp.resolve("etcd-data/member"));
    Files.writeString(
        config,
        """
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: InitConfiguration
        localAPIEndpoint:
          advertiseAddress: 127.0.0.1
        nodeRegistration:
          name: n1
        ---
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: ClusterConfiguration
        kubernetesVersion: v1.34.0
        etcd:
          local:
            dataDir: %s
        """
            .formatted(data.getParent()));
    return InitOptions.forNode(
        config, tmp.resolve("kubernetes"), null, RunnerOptions.of(10248, tmp.resolve("state")));
  }

  @Test
  void aRenderOnlyRunWarnsAboutBusyPortsAndEtcdDataAndRendersEverything() throws Exception {
    busySession().run(busyOptions(), List.of(), List.of("runner-start", "wait-control-plane"));

    assertThat(busyOut.toString())
        .contains(
            "[WARNING Port-6443]: Port 6443 is in use; not fatal: runner-start is skipped, this"
                + " run starts nothing")
        .contains("[WARNING Port-2379]")
        .contains("[WARNING Port-10248]")
        .contains(
            "[WARNING DirAvailable-"
                + tmp.resolve("etcd-data").toString().replace('/', '-')
                + "]: "
                + tmp.resolve("etcd-data")
                + " is not empty; not fatal")
        .doesNotContain("[ERROR");
    assertThat(tmp.resolve("kubernetes/manifests/kube-apiserver.yaml")).exists();
    assertThat(runnerCalls).isEmpty();
  }

  @Test
  void anInitThatStartsTheRunnerStopsOnBusyPortsBeforeWritingAnything() throws Exception {
    InitOptions options = busyOptions();

    assertThatThrownBy(() -> busySession().run(options, List.of(), List.of()))
        .hasMessageStartingWith("phase preflight: [preflight] Some fatal errors occurred:")
        .hasMessageContaining("[ERROR Port-6443]: Port 6443 is in use\n")
        .hasMessageContaining("[ERROR Port-10248]")
        .hasMessageContaining("[ERROR DirAvailable-");
    assertThat(tmp.resolve("kubernetes")).doesNotExist();
    assertThat(runnerCalls).isEmpty();
  }

  @Test
  void preflightAloneChecksForAFullInit() throws Exception {
    InitOptions options = busyOptions();

    assertThatThrownBy(() -> busySession().run(options, List.of("preflight"), List.of()))
        .hasMessageContaining("[ERROR Port-6443]");
  }
}
