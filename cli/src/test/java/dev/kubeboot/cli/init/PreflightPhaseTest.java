package dev.kubeboot.cli.init;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Preflight on a host where every port is taken and etcd's data directory holds data: fatal when
 * this init starts the runner, warnings for a render-only run (runner-start skipped), which starts
 * nothing on them.
 */
class PreflightPhaseTest {
  @TempDir Path tmp;
  private final StringWriter out = new StringWriter();
  private final List<String> runnerCalls = new ArrayList<>();

  /** A busy host: nothing free, enough CPUs and memory. */
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

  private InitSession session() {
    return new InitSession(
        new PrintWriter(out, true),
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

  private InitOptions options() throws Exception {
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
    return InitOptions.forNode(config, tmp.resolve("kubernetes"), null);
  }

  @Test
  void aRenderOnlyRunWarnsAboutBusyPortsAndEtcdDataAndRendersEverything() throws Exception {
    session().run(options(), List.of(), List.of("runner-start", "wait-control-plane"));

    assertThat(out.toString())
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
    InitOptions options = options();

    assertThatThrownBy(() -> session().run(options, List.of(), List.of()))
        .hasMessageStartingWith("phase preflight: [preflight] Some fatal errors occurred:")
        .hasMessageContaining("[ERROR Port-6443]: Port 6443 is in use\n")
        .hasMessageContaining("[ERROR Port-10248]")
        .hasMessageContaining("[ERROR DirAvailable-");
    assertThat(tmp.resolve("kubernetes")).doesNotExist();
    assertThat(runnerCalls).isEmpty();
  }

  @Test
  void preflightAloneChecksForAFullInit() throws Exception {
    InitOptions options = options();

    assertThatThrownBy(() -> session().run(options, List.of("preflight"), List.of()))
        .hasMessageContaining("[ERROR Port-6443]");
  }
}
