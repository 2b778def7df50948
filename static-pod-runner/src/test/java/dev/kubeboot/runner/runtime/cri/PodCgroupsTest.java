package dev.kubeboot.runner.runtime.cri;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PodCgroupsTest {
  @TempDir Path root;

  @Test
  void theParentIsThePodUidUnderTheRoot() {
    assertThat(new PodCgroups(root, "/kubeboot").parentOf("abc")).isEqualTo("/kubeboot/podabc");
  }

  @Test
  void cgroupV1RemovesThePodDirectoryInEveryHierarchyDeepestFirst() throws Exception {
    Files.createDirectories(root.resolve("memory/kubeboot/podabc/leftover-container"));
    Files.createDirectories(root.resolve("cpu,cpuacct/kubeboot/podabc"));
    Files.createSymbolicLink(root.resolve("cpu"), root.resolve("cpu,cpuacct"));
    Files.createDirectories(root.resolve("pids/kubeboot/podother"));
    PodCgroups cgroups = new PodCgroups(root, "/kubeboot");

    assertThat(cgroups.directories("abc"))
        .containsExactlyInAnyOrder(
            root.resolve("memory/kubeboot/podabc"),
            root.resolve("cpu,cpuacct/kubeboot/podabc"),
            root.resolve("pids/kubeboot/podabc"));
    assertThat(cgroups.remove("abc")).isEmpty();

    assertThat(root.resolve("memory/kubeboot/podabc")).doesNotExist();
    assertThat(root.resolve("cpu,cpuacct/kubeboot/podabc")).doesNotExist();
    assertThat(root.resolve("memory/kubeboot")).isDirectory();
    assertThat(root.resolve("pids/kubeboot/podother")).isDirectory();
  }

  @Test
  void cgroupV2HasOneHierarchy() throws Exception {
    Files.createFile(root.resolve("cgroup.controllers"));
    Files.createDirectories(root.resolve("kubeboot/podabc"));
    PodCgroups cgroups = new PodCgroups(root, "/kubeboot");

    assertThat(cgroups.directories("abc")).containsExactly(root.resolve("kubeboot/podabc"));
    cgroups.remove("abc");
    assertThat(root.resolve("kubeboot/podabc")).doesNotExist();
  }
}
