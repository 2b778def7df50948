package dev.kubeboot.runner.api;

import static dev.kubeboot.runner.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeboot.runner.pod.PodKey;
import dev.kubeboot.runner.status.FileError;
import dev.kubeboot.runner.status.PodPhase;
import dev.kubeboot.runner.status.PodStatus;
import dev.kubeboot.runner.status.RunnerStatus;
import dev.kubeboot.runner.status.RunnerStatusReader;
import dev.kubeboot.runner.status.StatusStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateFileWriterTest {
  private final StatusStore store =
      new StatusStore(
          new RunnerStatus(
              9,
              Instant.parse("2026-01-01T00:00:00Z"),
              "fake",
              "/m",
              "n1",
              "off",
              List.of(),
              List.of()));

  @Test
  void theFileFollowsTheStoreAndLeavesNoTempFileBehind(@TempDir Path dir) throws Exception {
    Path stateDir = dir.resolve("state");
    try (StateFileWriter writer = StateFileWriter.start(stateDir, store)) {
      assertThat(writer.file()).isEqualTo(stateDir.resolve("status.json"));
      assertThat(RunnerStatusReader.read(writer.file())).isEqualTo(store.current());

      for (int i = 0; i < 50; i++) {
        store.putPod(
            new PodStatus(
                new PodKey("kube-system", "p" + i),
                "u" + i,
                "/m/p.yaml",
                PodPhase.RUNNING,
                List.of(),
                List.of(),
                List.of(),
                Optional.empty(),
                "10.0.0.1",
                ""));
      }
      eventually(() -> assertThat(RunnerStatusReader.read(writer.file()).pods()).hasSize(50));
      store.setManifestErrors(List.of(new FileError("/m/x.yaml", "bad")));
    }
    assertThat(RunnerStatusReader.read(stateDir.resolve("status.json")).manifestErrors())
        .hasSize(1);
    try (Stream<Path> files = Files.list(stateDir)) {
      assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly("status.json");
    }
  }

  @Test
  void aLinkPlantedAtTheOldFixedTempNameIsNotFollowedAndItsTargetIsUntouched(@TempDir Path dir)
      throws Exception {
    Path stateDir = Files.createDirectories(dir.resolve("state"));
    Path victim = Files.writeString(dir.resolve("victim"), "precious");
    Path planted = Files.createSymbolicLink(stateDir.resolve(".status.json.tmp"), victim);

    try (StateFileWriter writer = StateFileWriter.start(stateDir, store)) {
      assertThat(RunnerStatusReader.read(writer.file())).isEqualTo(store.current());
      assertThat(Files.isSymbolicLink(writer.file())).isFalse();
    }

    assertThat(victim).hasContent("precious");
    assertThat(Files.isSymbolicLink(planted)).isTrue();
  }
}
