package dev.kubeboot.cli.init;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubeboot.cli.io.FileMode;
import dev.kubeboot.cli.options.RunnerOptions;
import dev.kubeboot.cli.workflow.PhaseFailedException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
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
                  f.options.runner = RunnerOptions.of(18248, null);
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

    f.options.ignorePreflightErrors = List.of("NumCPU", "mem", "Port-10257");
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
}
