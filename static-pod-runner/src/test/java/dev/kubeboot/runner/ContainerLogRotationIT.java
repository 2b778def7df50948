package dev.kubeboot.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeboot.runner.pod.PodKey;
import dev.kubeboot.runner.runtime.LogRotation;
import dev.kubeboot.runner.runtime.LogRotator;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host process writing 30 MiB of output under the kubelet's defaults (10Mi, 5 files): its log
 * never spans more than 5 files of at most 10 MiB, every rotated file but the newest
 * gzip-compressed; the runner's own log rotates the same way.
 */
@Timeout(120)
class ContainerLogRotationIT {
  private static final long MIB = RotatedLogs.MIB;
  private static final Duration WAIT = LogRotator.CHECK_INTERVAL.multipliedBy(3);

  @TempDir Path dir;
  private StaticPodRunner runner;

  @AfterEach
  void stop() throws Exception {
    if (runner != null) {
      runner.shutdown(true);
    }
  }

  @Test
  void thirtyMebibytesOfOutputLeaveAtMostFiveFilesOfTenMebibytes() throws Exception {
    Path manifests = Files.createDirectories(dir.resolve("manifests"));
    Path state = Files.createDirectories(dir.resolve("state"));
    // What an earlier detached runner appended to its log: over the limit already.
    Path runnerLog = state.resolve(Runners.RUNNER_LOG);
    try (OutputStream out = Files.newOutputStream(runnerLog)) {
      byte[] line = "runner: something happened\n".getBytes();
      for (long n = 0; n < 11 * MIB; n += line.length) {
        out.write(line);
      }
    }
    Files.writeString(
        manifests.resolve("chatty.yaml"),
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: chatty
          namespace: kube-system
        spec:
          hostNetwork: true
          terminationGracePeriodSeconds: 2
          containers:
          - name: main
            image: registry.k8s.io/chatty:1
            command: ["sh", "-c", "yes 'a line of container output' | head -c 31457280; exec sleep 3600"]
        """);
    RunnerSpec spec =
        RunnerSpec.builder(manifests, "node1", "127.0.0.1", state)
            .statusPort(0)
            .runtime("process")
            .build();
    assertThat(spec.containerLogs()).isEqualTo(LogRotation.DEFAULT);
    runner = Runners.start(spec);
    PodKey chatty = new PodKey("kube-system", "chatty-node1");

    Eventually.eventually(
        WAIT,
        () -> {
          Path containerDir = containerLogDir(state);
          Path current = containerDir.resolve("0.log");
          List<Path> rotated = LogRotator.rotated(current);
          long total = Files.size(current);
          for (Path f : rotated) {
            long size = RotatedLogs.uncompressedSize(f);
            assertThat(size).as(f.toString()).isLessThanOrEqualTo(10 * MIB);
            total += size;
          }
          assertThat(total).as("all 30 MiB written and kept").isEqualTo(30 * MIB);
          assertThat(RotatedLogs.files(containerDir)).hasSizeLessThanOrEqualTo(5);
          RotatedLogs.assertCompressedButTheNewest(rotated);
          assertThat(Files.size(current)).isLessThan(10 * MIB);
          assertThat(LogRotator.rotated(runnerLog)).hasSize(2);
          RotatedLogs.assertCompressedButTheNewest(LogRotator.rotated(runnerLog));
          assertThat(Files.size(runnerLog)).isZero();
        });
    assertThat(
            runner
                .status()
                .pod(chatty)
                .orElseThrow()
                .container("main")
                .orElseThrow()
                .restartCount())
        .isZero();
  }

  private static Path containerLogDir(Path state) throws IOException {
    try (Stream<Path> all = Files.walk(state)) {
      return all.filter(p -> p.getFileName().toString().equals("0.log"))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no 0.log under " + state))
          .getParent();
    }
  }
}
