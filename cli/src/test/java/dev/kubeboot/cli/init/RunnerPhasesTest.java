package dev.kubeboot.cli.init;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Phases "runner-start" and "wait-control-plane" hand the session's runner control the context of
 * this init; what the control does is RunnerControlsTest's.
 */
class RunnerPhasesTest {
  @TempDir Path tmp;

  @Test
  void runnerStartStartsTheRunnerForThisManifestDirectory() throws Exception {
    var f = new PhaseFixture(tmp);

    f.run("runner-start");

    assertThat(f.runner.calls).containsExactly("start " + tmp.resolve("manifests"));
    assertThat(f.runner.context.config().init().nodeRegistration().name()).isEqualTo("n1");
  }

  @Test
  void waitControlPlaneWaitsThroughTheRunnerControl() throws Exception {
    var f = new PhaseFixture(tmp);

    f.run("wait-control-plane");

    assertThat(f.runner.calls).containsExactly("wait " + tmp.resolve("manifests"));
  }

  @Test
  void aWholeInitRunsTheNodePhasesInKubeadmsOrderAndTheRunnerBeforeTheApiPhases() throws Exception {
    var f = new PhaseFixture(tmp);

    // The API-side phases need an API server: ApiPhasesTest runs them against one.
    f.runSkipping(
        List.of(
            "upload-config",
            "upload-certs",
            "mark-control-plane",
            "bootstrap-token",
            "addon",
            "show-join-command"));

    assertThat(f.runner.calls)
        .containsExactly("start " + tmp.resolve("manifests"), "wait " + tmp.resolve("manifests"));
    assertThat(f.out().indexOf("[preflight]")).isLessThan(f.out().indexOf("[certs]"));
    assertThat(f.out().indexOf("[certs]")).isLessThan(f.out().indexOf("[kubeconfig]"));
    assertThat(f.out().indexOf("[kubeconfig]")).isLessThan(f.out().indexOf("[control-plane]"));
    assertThat(f.sink.files).containsKey(tmp.resolve("manifests/kube-apiserver.yaml"));
  }
}
