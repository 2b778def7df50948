package dev.kubeboot.runner.manifest;

import static dev.kubeboot.runner.manifest.TestManifests.pod;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeboot.runner.pod.PodKey;
import dev.kubeboot.runner.pod.StaticPod;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SnapshotAssemblerTest {
  static final Path A = Path.of("/m/a.yaml");
  static final Path B = Path.of("/m/b.yaml");
  static final Path C = Path.of("/m/c.yaml");
  static final PodKey WEB = new PodKey("default", "web-n");
  static final ManifestSnapshot EMPTY = new ManifestSnapshot(Map.of(), List.of());

  final ManifestDecoder decoder = new ManifestDecoder(Clock.systemUTC());
  final SnapshotAssembler assembler = new SnapshotAssembler();

  StaticPod web(Path file, String image) throws ManifestException {
    return decoder.decode(pod("web", image).getBytes(UTF_8), file, "n");
  }

  static ManifestError error(Path file) {
    return new ManifestError(file, file + ": broken");
  }

  @Test
  void aBadFileWithoutAPastGoodPodIsOnlyAnError() {
    ManifestSnapshot s = assembler.assemble(Map.of(), Map.of(A, error(A)), EMPTY);
    assertThat(s.pods()).isEmpty();
    assertThat(s.errors()).containsExactly(error(A));
  }

  @Test
  void aBadFileKeepsItsLastGoodPodUntilDeleted() throws Exception {
    StaticPod good = web(A, "nginx:1");
    ManifestSnapshot first = assembler.assemble(Map.of(A, good), Map.of(), EMPTY);
    ManifestSnapshot broken = assembler.assemble(Map.of(), Map.of(A, error(A)), first);
    assertThat(broken.pods()).containsExactly(Map.entry(WEB, good));
    assertThat(broken.errors()).containsExactly(error(A));

    ManifestSnapshot deleted = assembler.assemble(Map.of(), Map.of(), broken);
    assertThat(deleted).isEqualTo(EMPTY);
  }

  @Test
  void aDuplicateOfAPodWhoseFileWentAwayRunsNothing() throws Exception {
    StaticPod fromA = web(A, "nginx:1");
    ManifestSnapshot first = assembler.assemble(Map.of(A, fromA), Map.of(), EMPTY);
    // a.yaml removed while b.yaml and c.yaml both appear with the same pod
    ManifestSnapshot next =
        assembler.assemble(Map.of(B, web(B, "nginx:2"), C, web(C, "nginx:3")), Map.of(), first);
    assertThat(next.pods()).isEmpty();
    assertThat(next.errors()).extracting(ManifestError::file).containsExactly(B, C);
  }

  @Test
  void aDuplicateKeepsThePodAsItRanEvenWhenItsFileChanged() throws Exception {
    StaticPod v1 = web(A, "nginx:1");
    ManifestSnapshot first = assembler.assemble(Map.of(A, v1), Map.of(), EMPTY);
    ManifestSnapshot dup =
        assembler.assemble(Map.of(A, web(A, "nginx:9"), B, web(B, "nginx:2")), Map.of(), first);
    assertThat(dup.pods()).containsExactly(Map.entry(WEB, v1));
    assertThat(dup.errors()).hasSize(2);
  }

  @Test
  void aBrokenFileAndADuplicateReportBoth() throws Exception {
    ManifestSnapshot first = assembler.assemble(Map.of(A, web(A, "nginx:1")), Map.of(), EMPTY);
    ManifestSnapshot next =
        assembler.assemble(Map.of(B, web(B, "nginx:2")), Map.of(A, error(A)), first);
    assertThat(next.pods().get(WEB).source()).isEqualTo(A);
    assertThat(next.errors()).extracting(ManifestError::file).containsExactly(A, A, B);
  }
}
