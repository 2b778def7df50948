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

  @org.junit.jupiter.params.ParameterizedTest(name = "{0} -> {2}")
  @org.junit.jupiter.params.provider.CsvSource({
    "/kubeboot, 1234-abcd, /kubeboot.slice/kubeboot-pod1234_abcd.slice",
    "/kubepods/burstable, 1234-abcd-5678-efgh,"
        + " /kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1234_abcd_5678_efgh.slice",
    "/kube-boot, u1, /kube_boot.slice/kube_boot-podu1.slice"
  })
  void theSystemdDriverNamesSlicesAsTheKubeletDoes(String cgroupRoot, String uid, String parent) {
    PodCgroups cgroups = new PodCgroups(root, cgroupRoot, CgroupDriver.SYSTEMD);
    assertThat(cgroups.parentOf(uid)).isEqualTo(parent);
  }

  @Test
  void theSystemdDriversPodCgroupIsRemovedWhereSystemdPutsIt() throws Exception {
    Files.createFile(root.resolve("cgroup.controllers"));
    Path pod = Files.createDirectories(root.resolve("kubeboot.slice/kubeboot-podu1.slice/c1"));
    PodCgroups cgroups = new PodCgroups(root, "/kubeboot", CgroupDriver.SYSTEMD);
    assertThat(cgroups.remove("u1")).isEmpty();
    assertThat(pod.getParent()).doesNotExist();
    assertThat(root.resolve("kubeboot.slice")).exists();
  }
}
