package dev.kubeboot.runner.runtime.docker;

import static dev.kubeboot.runner.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import dev.kubeboot.runner.RotatedLogs;
import dev.kubeboot.runner.RunnerConfig;
import dev.kubeboot.runner.StaticPodRunner;
import dev.kubeboot.runner.pod.PodKey;
import dev.kubeboot.runner.runtime.EnginePods;
import dev.kubeboot.runner.runtime.EngineRunners;
import dev.kubeboot.runner.runtime.LogQuery;
import dev.kubeboot.runner.runtime.LogRotation;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A pod on Docker writing three times the size limit: the engine's json-file driver, configured
 * from containerLogMaxSize and containerLogMaxFiles, keeps at most that many files of the limit
 * (plus the one line that crosses it: the engine checks before each write), the rotated ones
 * gzip-compressed, and {@code kubeboot logs} still reads the container through the engine.
 */
@Timeout(180)
class DockerLogRotationIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final PodKey CHATTY = new PodKey("kube-system", "chatty-node1");

  /** One JSON-wrapped log line, the most a file may pass the limit by. */
  private static final long ONE_LINE = 1024;

  private static DockerClient docker;

  @TempDir Path dir;
  private StaticPodRunner runner;

  @BeforeAll
  static void engine() {
    docker = DockerEngine.requireEngineAndImages();
  }

  @AfterEach
  void stop() throws Exception {
    if (runner != null) {
      runner.shutdown(true);
    }
    DockerEngine.removeOwned(docker);
  }

  /**
   * Small sizes: the engine's semantics are the same at the defaults (30 MiB, 10Mi, 5 files pass
   * too), but dockerd takes over two minutes to log 30 MiB of short lines on a small machine.
   */
  @ParameterizedTest(name = "{0} KiB of output, files of at most {1} KiB, {2} files")
  @CsvSource({"768, 256, 5"})
  void aPodWritingThreeTimesTheLimitLeavesAtMostMaxFilesWithinTheLimit(
      int written, int limitKiB, int maxFiles) throws Exception {
    long limit = limitKiB * 1024L;
    RunnerConfig config = EngineRunners.config(dir, "127.0.0.1");
    LogRotation rotation = new LogRotation(limit, maxFiles);
    DockerContainerRuntime runtime =
        new DockerContainerRuntime(
            DockerRuntimeOptions.of(config.stateDir())
                .withEndpoint(DockerEngine.endpoint())
                .withContainerLogs(rotation));
    runner = EngineRunners.start(config, runtime);
    Files.createDirectories(dir.resolve("manifests"));
    Files.writeString(
        dir.resolve("manifests/chatty.yaml"), EnginePods.chattyManifest(written * 1024L));
    String[] id = new String[1];
    eventually(
        WAIT,
        () -> {
          String cid =
              runner
                  .status()
                  .pod(CHATTY)
                  .orElseThrow()
                  .container("main")
                  .orElseThrow()
                  .containerID();
          assertThat(cid).startsWith("docker://");
          id[0] = cid.substring("docker://".length());
        });
    InspectContainerResponse inspect = docker.inspectContainerCmd(id[0]).exec();
    assertThat(inspect.getHostConfig().getLogConfig().getType().getType()).isEqualTo("json-file");
    assertThat(inspect.getHostConfig().getLogConfig().getConfig())
        .isEqualTo(
            Map.of(
                "max-size", Long.toString(limit),
                "max-file", Integer.toString(maxFiles),
                "compress", "true"));
    Path current = Path.of(inspect.getLogPath());
    String name = current.getFileName().toString();

    eventually(
        WAIT,
        () -> {
          List<Path> files =
              RotatedLogs.files(current.getParent()).stream()
                  .filter(f -> f.getFileName().toString().startsWith(name))
                  .toList();
          assertThat(files).hasSizeLessThanOrEqualTo(maxFiles).hasSizeGreaterThan(2);
          for (Path f : files) {
            assertThat(RotatedLogs.uncompressedSize(f))
                .as(f.toString())
                .isLessThanOrEqualTo(limit + ONE_LINE);
            if (!f.equals(current)) {
              // The engine compresses every rotated file, the newest one too.
              assertThat(f.getFileName().toString()).endsWith(".gz");
              assertThat(RotatedLogs.isGzip(f)).as(f.toString()).isTrue();
            }
          }
          assertThat(Files.readString(current)).contains("tick ");
        });

    var out = new ByteArrayOutputStream();
    runtime.copyLog(
        new LogQuery(CHATTY, runner.status().pod(CHATTY).orElseThrow().uid(), "main", false, false),
        out);
    String shown = out.toString(StandardCharsets.UTF_8);
    assertThat(shown).contains("tick 0\n").contains("a line of container output\n");
  }
}
