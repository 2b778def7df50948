package dev.kubeboot.runner.runtime.cri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** containerd's cgroup driver read from its CRI Status info, and a mismatch refused. */
class RuntimeCgroupDriverTest {
  /** The shape of containerd 1.6's info["config"], cut to what matters. */
  private static Map<String, String> info(String runcOptions) {
    return Map.of(
        "config",
        """
        {"containerd":{"snapshotter":"overlayfs","defaultRuntimeName":"runc",
         "runtimes":{"runc":{"runtimeType":"io.containerd.runc.v2","options":%s}}},
         "systemdCgroup":false,"enableSelinux":false}
        """
            .formatted(runcOptions));
  }

  @Test
  void systemdCgroupTrueIsTheSystemdDriverAndAbsentIsCgroupfs() {
    assertThat(RuntimeCgroupDriver.from(info("{\"Root\":\"/run/x\",\"SystemdCgroup\":true}")))
        .contains(new RuntimeCgroupDriver(CgroupDriver.SYSTEMD, "runc"));
    assertThat(RuntimeCgroupDriver.from(info("{\"Root\":\"/run/x\"}")))
        .contains(new RuntimeCgroupDriver(CgroupDriver.CGROUPFS, "runc"));
    assertThat(RuntimeCgroupDriver.from(info("null")))
        .contains(new RuntimeCgroupDriver(CgroupDriver.CGROUPFS, "runc"));
  }

  @Test
  void aRuntimeThatReportsNoContainerdConfigIsNotChecked() {
    assertThat(RuntimeCgroupDriver.from(Map.of())).isEqualTo(Optional.empty());
    assertThat(RuntimeCgroupDriver.from(Map.of("config", "not json"))).isEmpty();
    CriContainerRuntime.checkCgroupDriver(CgroupDriver.SYSTEMD, Map.of(), "unix:///crio.sock");
  }

  @Test
  void aMismatchNamesBothSettingsAndTheFix() {
    assertThatThrownBy(
            () ->
                CriContainerRuntime.checkCgroupDriver(
                    CgroupDriver.CGROUPFS, info("{\"SystemdCgroup\":true}"), "unix:///c.sock"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "cgroupDriver is cgroupfs but the container runtime at unix:///c.sock uses systemd"
                + " (containerd's runtime \"runc\" has SystemdCgroup = true): make them agree,"
                + " either set SystemdCgroup = false under"
                + " [plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.runc.options] in"
                + " containerd's config and restart containerd, or set cgroupDriver: systemd in the"
                + " KubeletConfiguration (--cgroup-driver systemd)");
    CriContainerRuntime.checkCgroupDriver(
        CgroupDriver.SYSTEMD, info("{\"SystemdCgroup\":true}"), "unix:///c.sock");
  }
}
