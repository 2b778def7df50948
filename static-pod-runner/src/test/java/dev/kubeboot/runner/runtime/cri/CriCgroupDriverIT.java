package dev.kubeboot.runner.runtime.cri;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real containerd (runc without SystemdCgroup, its default) refuses a runner configured for the
 * systemd cgroup driver before any pod is made; the positive systemd path needs systemd as PID 1,
 * which the test machine does not have, so the slice naming is a unit test (PodCgroupsTest).
 */
class CriCgroupDriverIT {
  @TempDir Path dir;

  @BeforeAll
  static void containerd() {
    CriEngine.requireContainerd();
  }

  @Test
  void theSystemdDriverAgainstAContainerdOnCgroupfsIsRefusedNamingBothSettings() {
    assertThatThrownBy(
            () ->
                new CriContainerRuntime(
                        CriRuntimeOptions.of(dir)
                            .withEndpoint(CriEngine.ENDPOINT)
                            .withPodLogsDir(dir.resolve("pods"))
                            .withCgroupDriver(CgroupDriver.SYSTEMD))
                    .close())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cgroupDriver is systemd")
        .hasMessageContaining("uses cgroupfs")
        .hasMessageContaining("SystemdCgroup = false")
        .hasMessageContaining("set SystemdCgroup = true under");
  }

  @Test
  void theCgroupfsDriverAgainstTheSameContainerdIsAccepted() {
    new CriContainerRuntime(
            CriRuntimeOptions.of(dir)
                .withEndpoint(CriEngine.ENDPOINT)
                .withPodLogsDir(dir.resolve("pods"))
                .withCgroupDriver(CgroupDriver.CGROUPFS))
        .close();
  }
}
