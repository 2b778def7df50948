package dev.kubeboot.runner.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pod's directories may hold what its container planted: the delete stays in its tree. */
class DirectoryTreesTest {
  @TempDir Path tmp;
  private Path root;
  private Path victim;

  @BeforeEach
  void dirs() throws IOException {
    root = Files.createDirectories(tmp.resolve("state/volumes"));
    victim = Files.createDirectories(tmp.resolve("victim"));
    Files.writeString(victim.resolve("precious"), "keep me");
  }

  @Test
  void deletesATreeWithFilesAndDirectories() throws IOException {
    Path tree = Files.createDirectories(root.resolve("pod/a/b/c"));
    Files.writeString(tree.resolve("f"), "x");
    Files.writeString(root.resolve("pod/a/g"), "y");

    DirectoryTrees.delete(root, root.resolve("pod"));

    assertThat(root.resolve("pod")).doesNotExist();
    assertThat(root).isDirectory();
  }

  @Test
  void aMissingTreeIsNoError() throws IOException {
    DirectoryTrees.delete(root, root.resolve("gone/deeper"));
    DirectoryTrees.delete(tmp.resolve("no-root"), tmp.resolve("no-root/x"));
  }

  @Test
  void aPlantedSymlinkIsRemovedNotFollowed() throws IOException {
    Path pod = Files.createDirectories(root.resolve("pod/scratch"));
    Files.createSymbolicLink(pod.resolve("escape"), victim);
    Files.createSymbolicLink(pod.resolve("file"), victim.resolve("precious"));

    DirectoryTrees.delete(root, root.resolve("pod"));

    assertThat(root.resolve("pod")).doesNotExist();
    assertThat(victim.resolve("precious")).hasContent("keep me");
  }

  @Test
  void aTreeThatIsItselfASymlinkLosesOnlyTheLink() throws IOException {
    Files.createSymbolicLink(root.resolve("pod"), victim);

    DirectoryTrees.delete(root, root.resolve("pod"));

    assertThat(root.resolve("pod")).doesNotExist();
    assertThat(victim.resolve("precious")).hasContent("keep me");
  }

  @Test
  void aSymlinkOnTheWayDownIsRefused() throws IOException {
    Files.createSymbolicLink(root.resolve("pod"), victim);

    assertThatThrownBy(() -> DirectoryTrees.delete(root, root.resolve("pod/precious")))
        .isInstanceOf(IOException.class);

    assertThat(victim.resolve("precious")).hasContent("keep me");
  }

  @Test
  void aTreeOutsideTheRootIsRefused() {
    assertThatThrownBy(() -> DirectoryTrees.delete(root, root.resolve("x/../../../victim")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not below");
    assertThatThrownBy(() -> DirectoryTrees.delete(root, root))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(victim.resolve("precious")).hasContent("keep me");
  }
}
