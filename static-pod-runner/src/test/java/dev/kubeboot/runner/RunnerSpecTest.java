package dev.kubeboot.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubeboot.runner.mirror.NodeTaint;
import dev.kubeboot.runner.network.PodNetworkOptions;
import dev.kubeboot.runner.runtime.LogRotation;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RunnerSpecTest {
  private static final RunnerSpec.HostDefaults HOST =
      new RunnerSpec.HostDefaults() {
        @Override
        public String nodeName() {
          return "host-name";
        }

        @Override
        public String nodeIP() {
          return "192.0.2.7";
        }
      };

  @TempDir Path tmp;

  private static RunnerSpec everyFieldSet() {
    return RunnerSpec.builder(Path.of("/srv/k/manifests"), "n1", "10.0.0.5", Path.of("/srv/state"))
        .statusAddress(new InetSocketAddress("127.0.0.2", 18248))
        .controlSocket(Path.of("/run/kb/ctl.sock"))
        .runtime("cri")
        .runtimeEndpoint(Optional.of("unix:///run/k3s/containerd.sock"))
        .binDirs(List.of(Path.of("/opt/bin"), Path.of("/usr/local/bin")))
        .fileCheckFrequency(Duration.ofMillis(1500))
        .kubernetesVersion("1.33")
        .kubeconfig(Optional.of(Path.of("/srv/k/kubelet.conf")))
        .nodeLabels(Map.of("example.com/role", "edge", "example.com/empty", ""))
        .nodeTaints(
            List.of(
                NodeTaint.parse("example.com/dedicated=db:NoExecute"),
                NodeTaint.parse("example.com/soft:PreferNoSchedule")))
        .network(
            PodNetworkOptions.of(
                "10.244.3.0/24,fd00:10:244:3::/64",
                Path.of("/srv/cni/net.d"),
                List.of(Path.of("/srv/cni/bin"), Path.of("/usr/lib/cni"))))
        .podInfraImage("registry.example/pause:3.9")
        .metricsAddress(Optional.of(new InetSocketAddress("127.0.0.3", 10249)))
        .containerLogs(new LogRotation(3 * 1024 * 1024, 3))
        .build();
  }

  @Test
  void everyFieldSurvivesToArgsAndFromArgs() {
    RunnerSpec spec = everyFieldSet();

    assertThat(RunnerSpec.fromArgs(spec.toArgs(), HOST)).isEqualTo(spec);
  }

  @Test
  void theDefaultsSurviveToo() {
    RunnerSpec spec = RunnerSpec.builder(Path.of("m"), "n1", "10.0.0.5", Path.of("s")).build();

    assertThat(RunnerSpec.fromArgs(spec.toArgs(), HOST)).isEqualTo(spec);
    assertThat(spec.manifestPath()).isAbsolute();
    assertThat(spec.controlSocket()).isEqualTo(spec.stateDir().resolve("control/runner.sock"));
    assertThat(spec.statusAddress()).isEqualTo(new InetSocketAddress("127.0.0.1", 10248));
    assertThat(spec.toArgs())
        .contains("--file-check-frequency=20s", "--container-runtime=auto")
        .noneMatch(a -> a.startsWith("--kubeconfig") || a.startsWith("--node-labels"));
  }

  @Test
  void noFlagsMeansTheKubeletsDefaultsAndTheHostsNameAndAddress() {
    RunnerSpec spec = RunnerSpec.fromArgs(List.of(), HOST);

    assertThat(spec.manifestPath()).isEqualTo(Path.of("/etc/kubernetes/manifests"));
    assertThat(spec.stateDir()).isEqualTo(Path.of("/var/lib/kubeboot"));
    assertThat(spec.controlSocket()).isEqualTo(Path.of("/var/lib/kubeboot/control/runner.sock"));
    assertThat(spec.nodeName()).isEqualTo("host-name");
    assertThat(spec.nodeIP()).isEqualTo("192.0.2.7");
    assertThat(spec.fileCheckFrequency()).isEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void flagsMayBeGivenAsTwoWordsAndBinDirRepeats() {
    RunnerSpec spec =
        RunnerSpec.fromArgs(
            List.of("--node-name", "a", "--bin-dir", "/x", "--bin-dir=/y", "--status-port", "0"),
            HOST);

    assertThat(spec.nodeName()).isEqualTo("a");
    assertThat(spec.binDirs()).containsExactly(Path.of("/x"), Path.of("/y"));
    assertThat(spec.statusAddress().getPort()).isZero();
  }

  @Test
  void aKubeletConfigurationGivesStaticPodPathAndFileCheckFrequencyAndFlagsWin() throws Exception {
    Path config = tmp.resolve("kubelet.yaml");
    Files.writeString(
        config,
        """
        apiVersion: kubelet.config.k8s.io/v1beta1
        kind: KubeletConfiguration
        staticPodPath: /srv/pods
        fileCheckFrequency: 5s
        """);

    RunnerSpec fromFile = RunnerSpec.fromArgs(List.of("--config=" + config), HOST);
    RunnerSpec flagsWin =
        RunnerSpec.fromArgs(
            List.of("--config=" + config, "--file-check-frequency=1m", "--pod-manifest-path=/p"),
            HOST);

    assertThat(fromFile.manifestPath()).isEqualTo(Path.of("/srv/pods"));
    assertThat(fromFile.fileCheckFrequency()).isEqualTo(Duration.ofSeconds(5));
    assertThat(flagsWin.manifestPath()).isEqualTo(Path.of("/p"));
    assertThat(flagsWin.fileCheckFrequency()).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void logRotationComesFromTheKubeletConfigurationUnlessFlagsSayOtherwise() throws Exception {
    Path config = tmp.resolve("kubelet.yaml");
    Files.writeString(
        config,
        """
        apiVersion: kubelet.config.k8s.io/v1beta1
        kind: KubeletConfiguration
        containerLogMaxSize: 20Mi
        containerLogMaxFiles: 3
        """);

    RunnerSpec defaults = RunnerSpec.fromArgs(List.of(), HOST);
    RunnerSpec fromFile = RunnerSpec.fromArgs(List.of("--config=" + config), HOST);
    RunnerSpec flagsWin =
        RunnerSpec.fromArgs(
            List.of(
                "--config=" + config,
                "--container-log-max-size=1Mi",
                "--container-log-max-files",
                "7"),
            HOST);

    assertThat(defaults.containerLogs()).isEqualTo(new LogRotation(10 * 1024 * 1024, 5));
    assertThat(fromFile.containerLogs()).isEqualTo(new LogRotation(20 * 1024 * 1024, 3));
    assertThat(flagsWin.containerLogs()).isEqualTo(new LogRotation(1024 * 1024, 7));
  }

  @Test
  void metricsStayOnTheStatusPortUnlessGivenAnAddress() {
    assertThat(RunnerSpec.fromArgs(List.of(), HOST).metricsAddress()).isEmpty();
    assertThat(
            RunnerSpec.fromArgs(List.of("--metrics-bind-address=0.0.0.0:10249"), HOST)
                .metricsAddress())
        .contains(new InetSocketAddress("0.0.0.0", 10249));
    assertThat(
            RunnerSpec.fromArgs(List.of("--metrics-bind-address=[::1]:0"), HOST).metricsAddress())
        .contains(new InetSocketAddress("::1", 0));
  }

  static Stream<Arguments> badFlags() {
    return Stream.of(
        Arguments.of("an unknown flag", List.of("--pod-manifest-dir=/x"), "--pod-manifest-dir"),
        Arguments.of("a flag without its value", List.of("--node-name"), "--node-name needs"),
        Arguments.of("a flag given twice", List.of("--node-name=a", "--node-name=b"), "twice"),
        Arguments.of("a bad port", List.of("--status-port=70000"), "--status-port 70000"),
        Arguments.of(
            "a bad duration", List.of("--file-check-frequency=soon"), "--file-check-frequency"),
        Arguments.of("a zero duration", List.of("--file-check-frequency=0s"), "not positive"),
        Arguments.of("an unknown runtime", List.of("--container-runtime=rkt"), "rkt"),
        Arguments.of("a label without =", List.of("--node-labels=a"), "--node-labels"),
        Arguments.of(
            "a taint with a bad effect",
            List.of("--register-with-taints=a:Sometimes"),
            "Sometimes"),
        Arguments.of("a missing config", List.of("--config=/nonexistent/k.yaml"), "--config"),
        Arguments.of("a bad pod CIDR", List.of("--pod-cidr=10.244.0.1/24"), "--pod-cidr"),
        Arguments.of(
            "an empty pause image",
            List.of("--pod-infra-container-image="),
            "--pod-infra-container-image"),
        Arguments.of(
            "a metrics address without a port",
            List.of("--metrics-bind-address=127.0.0.1"),
            "--metrics-bind-address 127.0.0.1"),
        Arguments.of(
            "a bad log size", List.of("--container-log-max-size=big"), "--container-log-max-size"),
        Arguments.of(
            "too few log files", List.of("--container-log-max-files=1"), "containerLogMaxFiles"),
        Arguments.of(
            "a log file count that is no number",
            List.of("--container-log-max-files=five"),
            "--container-log-max-files five"));
  }

  @ParameterizedTest(name = "{0} is refused, naming it")
  @MethodSource("badFlags")
  void badFlagsAreRefusedNamingTheFlag(String sentence, List<String> args, String named) {
    assertThatThrownBy(() -> RunnerSpec.fromArgs(args, HOST))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(named);
  }

  @Test
  void theCniBinDirsMayBeCommaSeparatedOrRepeatedAndDefaultToTheKubeletsAndDebians() {
    RunnerSpec given =
        RunnerSpec.fromArgs(List.of("--cni-bin-dir=/a,/b", "--cni-bin-dir", "/c"), HOST);
    RunnerSpec none = RunnerSpec.fromArgs(List.of(), HOST);

    assertThat(given.network().binDirs())
        .containsExactly(Path.of("/a"), Path.of("/b"), Path.of("/c"));
    assertThat(none.network().binDirs())
        .containsExactly(Path.of("/opt/cni/bin"), Path.of("/usr/lib/cni"));
    assertThat(none.network().confDir()).isEqualTo(Path.of("/etc/cni/net.d"));
    assertThat(none.network().podCidrs()).isEmpty();
    assertThat(none.podInfraImage()).isEqualTo("registry.k8s.io/pause:3.10.1");
  }

  @Test
  void everyFlagToArgsWritesIsOneFromArgsKnows() {
    List<String> known = RunnerSpec.FLAGS.stream().map(RunnerSpec.Flag::name).toList();

    assertThat(everyFieldSet().toArgs())
        .allSatisfy(arg -> assertThat(known).contains(arg.substring(0, arg.indexOf('='))));
  }
}
