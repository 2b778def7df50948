package dev.kubeboot.runner.runtime.cri;

import static dev.kubeboot.runner.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeboot.runner.RotatedLogs;
import dev.kubeboot.runner.RunnerConfig;
import dev.kubeboot.runner.StaticPodRunner;
import dev.kubeboot.runner.pod.PodKey;
import dev.kubeboot.runner.runtime.EnginePods;
import dev.kubeboot.runner.runtime.EngineRunners;
import dev.kubeboot.runner.runtime.LogQuery;
import dev.kubeboot.runner.runtime.LogRotation;
import dev.kubeboot.runner.runtime.LogRotator;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A pod on containerd writing three times the size limit: its CRI log file is rotated as the
 * kubelet rotates it (rename, ReopenContainerLog, older files gzip-compressed), so at most {@code
 * containerLogMaxFiles} files remain, none over the limit, and containerd goes on writing the new
 * file that {@code kubeboot logs} reads.
 */
@Timeout(180)
class CriLogRotationIT {
  private static final Duration WAIT = LogRotator.CHECK_INTERVAL.multipliedBy(4);
  private static final PodKey CHATTY = new PodKey("kube-system", "chatty-node1");

  @TempDir Path dir;
  private StaticPodRunner runner;
  private String uid;

  @BeforeAll
  static void containerd() {
    CriEngine.requireContainerd();
  }

  @AfterEach
  void stop() throws Exception {
    if (runner != null) {
      runner.shutdown(true);
    }
    if (uid != null) {
      CriEngine.removePods(List.of(uid));
    }
  }

  @ParameterizedTest(name = "{0} MiB of output, files of at most {1} MiB, {2} files")
  @CsvSource({"3, 1, 5", "30, 10, 5"})
  void aPodWritingThreeTimesTheLimitLeavesAtMostMaxFilesWithinTheLimit(
      int written, int limitMiB, int maxFiles) throws Exception {
    long limit = limitMiB * RotatedLogs.MIB;
    RunnerConfig config =
        EngineRunners.config(dir, "127.0.0.1").withContainerLogs(new LogRotation(limit, maxFiles));
    CriContainerRuntime runtime =
        new CriContainerRuntime(
            CriRuntimeOptions.of(config.stateDir())
                .withEndpoint(CriEngine.ENDPOINT)
                .withPodLogsDir(dir.resolve("pods")));
    runner = EngineRunners.start(config, runtime);
    Files.createDirectories(dir.resolve("manifests"));
    Files.writeString(
        dir.resolve("manifests/chatty.yaml"), EnginePods.chattyManifest(written * RotatedLogs.MIB));
    eventually(WAIT, () -> uid = runner.status().pod(CHATTY).orElseThrow().uid());
    Path containerDir = dir.resolve("pods/kube-system_chatty-node1_" + uid + "/main");
    Path current = containerDir.resolve("0.log");

    eventually(
        WAIT,
        () -> {
          List<Path> rotated = LogRotator.rotated(current);
          assertThat(rotated).isNotEmpty();
          assertThat(RotatedLogs.files(containerDir)).hasSizeLessThanOrEqualTo(maxFiles);
          for (Path f : rotated) {
            assertThat(RotatedLogs.uncompressedSize(f)).as(f.toString()).isLessThanOrEqualTo(limit);
          }
          RotatedLogs.assertCompressedButTheNewest(rotated);
          // containerd reopened the log: the ticks after the rotation are in the new file.
          assertThat(Files.readString(current)).contains(" stdout F tick ");
        });
    assertThat(Files.size(current)).isLessThan(limit);

    var out = new ByteArrayOutputStream();
    runtime.copyLog(new LogQuery(CHATTY, uid, "main", false, false), out);
    assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("tick ").doesNotContain("stdout");
    assertThat(
            runner
                .status()
                .pod(CHATTY)
                .orElseThrow()
                .container("main")
                .orElseThrow()
                .restartCount())
        .isZero();
  }
}
