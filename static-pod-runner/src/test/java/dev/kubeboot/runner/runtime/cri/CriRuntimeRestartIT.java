package dev.kubeboot.runner.runtime.cri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kubeboot.runner.pod.StaticPod;
import dev.kubeboot.runner.runtime.ContainerHandle;
import dev.kubeboot.runner.runtime.EnginePods;
import dev.kubeboot.runner.runtime.ExitStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The private containerd is restarted while a runtime follows its containers: the runtime keeps
 * going, finds the same containers and sandbox again, and duplicates nothing.
 */
@Timeout(180)
class CriRuntimeRestartIT {
  private static final String CONFIG = "/var/lib/kubeboot-test-containerd/config.toml";

  @TempDir Path dir;
  private CriContainerRuntime runtime;
  private String uid;

  @BeforeAll
  static void containerd() {
    CriEngine.requireContainerd();
  }

  @AfterEach
  void close() {
    if (runtime != null) {
      runtime.close();
    }
    CriEngine.requireContainerd();
    if (uid != null) {
      CriEngine.removePods(java.util.List.of(uid));
    }
  }

  /** The pid of the private containerd the script started (never Docker's own). */
  private static long privateContainerdPid() throws IOException {
    String out =
        CriEngine.run(Duration.ofSeconds(5), "pgrep", "-x", "-f", "containerd --config " + CONFIG);
    return Long.parseLong(out.lines().findFirst().orElseThrow().strip());
  }

  @Test
  void aRestartedRuntimeIsReconnectedToAndItsContainersFollowedOn() throws Exception {
    runtime =
        new CriContainerRuntime(
            CriRuntimeOptions.of(dir.resolve("state"))
                .withEndpoint(CriEngine.ENDPOINT)
                .withPodLogsDir(dir.resolve("pods")));
    StaticPod pod = EnginePods.pod("survivor", EnginePods.shell("main", "sleep 3600"));
    uid = pod.uid();
    ContainerHandle h = runtime.start(pod, pod.spec().containers().get(0), 0);
    CompletableFuture<ExitStatus> exit = runtime.onExit(h).toCompletableFuture();

    long pid;
    try {
      pid = privateContainerdPid();
    } catch (IOException | RuntimeException e) {
      assumeTrue(false, "the private containerd was not started by " + CriEngine.SCRIPT + ": " + e);
      return;
    }
    ProcessHandle containerd = ProcessHandle.of(pid).orElseThrow();
    containerd.destroy();
    containerd.onExit().get(30, TimeUnit.SECONDS);
    // Down for a while: the poller backs off and must not mistake the silence for an exit.
    Thread.sleep(1500);
    assertThat(exit).isNotDone();

    CriEngine.requireContainerd();

    assertThat(CriEngine.ctrContainerIds()).contains(h.id());
    Thread.sleep(500);
    assertThat(exit).isNotDone();
    assertThat(runtime.listOwned()).extracting(ContainerHandle::id).containsExactly(h.id());

    long killed = System.nanoTime();
    CriEngine.run(Duration.ofSeconds(5), "kill", "-9", Long.toString(CriEngine.taskPid(h.id())));
    assertThat(exit.get(10, TimeUnit.SECONDS).exitCode()).isEqualTo(137);
    assertThat(Duration.ofNanos(System.nanoTime() - killed)).isLessThan(Duration.ofSeconds(6));

    runtime.start(pod, pod.spec().containers().get(0), 1);
    assertThat(CriEngine.sandboxes(pod.uid())).hasSize(1);
  }
}
