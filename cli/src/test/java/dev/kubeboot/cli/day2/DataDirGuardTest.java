package dev.kubeboot.cli.day2;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DataDirGuardTest {
  @TempDir Path tmp;

  private DataDirGuard guard() {
    return new DataDirGuard(
        List.of(
            tmp.resolve("kubernetes"),
            tmp.resolve("kubernetes/manifests"),
            tmp.resolve("kubernetes/pki"),
            tmp.resolve("kubernetes/runner")));
  }

  @ParameterizedTest(name = "{0} is refused: {1}")
  @CsvSource({
    "/, it is a system directory",
    "/usr, it is a system directory",
    "/etc, it is a system directory",
    "/var, it is a system directory",
    "/home, it is a system directory",
    "/boot, it is a system directory",
    "/lib, it is a system directory",
    "/lib64, it is a system directory",
    "/bin, it is a system directory",
    "/sbin, it is a system directory",
    "/opt, it is a system directory",
    "/root, it is a system directory",
    "/proc, it is a system directory",
    "/sys, it is a system directory",
    "/dev, it is a system directory",
    "/run, it is a system directory",
    "/tmp, it is a system directory",
    "/var/lib, it is a system directory",
    "/usr/lib/.., it is a system directory",
    "/data, it is a top-level directory",
    "/usr/lib, it is inside the system directory /usr",
    "/usr/local/etcd, it is inside the system directory /usr",
    "/proc/1, it is inside the system directory /proc",
    "/lib64/x, it is inside the system directory /lib64",
    "/home/alice, it is a home directory",
  })
  void systemDirectoriesAreRefused(String dir, String reason) throws Exception {
    assertThat(guard().whyNot(Path.of(dir))).hasValue(reason);
  }

  @ParameterizedTest(name = "{0} may be emptied")
  @CsvSource({"/var/lib/etcd", "/home/alice/etcd", "/opt/etcd/data", "/srv/etcd", "/tmp/x/etcd"})
  void etcdsUsualPlacesMayBeEmptied(String dir) throws Exception {
    assertThat(guard().whyNot(Path.of(dir))).isEmpty();
  }

  @ParameterizedTest(name = "{0} holds kubeboot''s directories")
  @CsvSource({".", "kubernetes", "kubernetes/manifests", "kubernetes/runner"})
  void directoriesHoldingKubebootsOwnAreRefused(String relative) throws Exception {
    assertThat(guard().whyNot(tmp.resolve(relative).normalize()))
        .hasValueSatisfying(r -> assertThat(r).startsWith("it holds "));
  }

  @org.junit.jupiter.api.Test
  void aLinkIsJudgedByWhereItLeads() throws Exception {
    Path link = Files.createSymbolicLink(tmp.resolve("etcd-data"), Path.of("/usr"));
    assertThat(guard().whyNot(link)).hasValue("it leads to /usr, and that is a system directory");
  }
}
