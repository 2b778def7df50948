package dev.kubeboot.runner.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryContentsTest {
  @TempDir Path tmp;

  @Test
  void everythingInsideGoesAndTheDirectoryStays() throws Exception {
    Path data = Files.createDirectories(tmp.resolve("etcd-data"));
    Files.createDirectories(data.resolve("member/snap"));
    Files.writeString(data.resolve("member/snap/db"), "data");
    Files.createDirectories(data.resolve("member/wal"));
    Files.writeString(data.resolve("member/wal/0.wal"), "wal");
    Files.writeString(data.resolve(".hidden"), "x");

    assertThat(DirectoryContents.removeAll(data)).isEqualTo(6);

    assertThat(data).isEmptyDirectory();
  }

  @Test
  void aLinkInsideIsRemovedAsALinkAndWhereItLeadsIsUntouched() throws Exception {
    Path elsewhere = Files.createDirectories(tmp.resolve("etc"));
    Path precious = Files.writeString(elsewhere.resolve("passwd"), "root:x:0:0");
    Path data = Files.createDirectories(tmp.resolve("etcd-data"));
    Files.createDirectories(data.resolve("member"));
    Files.createSymbolicLink(data.resolve("member/snap"), elsewhere);
    Files.createSymbolicLink(data.resolve("passwd"), precious);

    DirectoryContents.removeAll(data);

    assertThat(data).isEmptyDirectory();
    assertThat(precious).hasContent("root:x:0:0");
    assertThat(elsewhere).isDirectoryContaining(p -> p.equals(precious));
  }

  @Test
  void anEmptyDirectoryIsNothingToDo() throws Exception {
    Path data = Files.createDirectories(tmp.resolve("etcd-data"));
    assertThat(DirectoryContents.removeAll(data)).isZero();
    assertThat(data).isEmptyDirectory();
  }
}
