package dev.kubeboot.runner.runtime.cri;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * containerd's cgroup driver as its CRI plugin reports it: Status with {@code verbose} carries the
 * plugin's config as JSON under {@code info["config"]}, where the default runtime's runc options
 * hold {@code SystemdCgroup} (absent means false: cgroupfs).
 *
 * @param driver the driver containerd uses
 * @param runtimeName the runtime handler whose options say so ({@code runc})
 */
record RuntimeCgroupDriver(CgroupDriver driver, String runtimeName) {

  /** The runtime's driver, or empty when the info holds no containerd CRI config. */
  static Optional<RuntimeCgroupDriver> from(Map<String, String> info) {
    String config = info.get("config");
    if (config == null || config.isBlank()) {
      return Optional.empty();
    }
    Map<String, Object> root;
    try {
      root = JSON.std.mapFrom(config);
    } catch (IOException e) {
      return Optional.empty();
    }
    if (!(root.get("containerd") instanceof Map<?, ?> containerd)) {
      return Optional.empty();
    }
    String name =
        containerd.get("defaultRuntimeName") instanceof String n && !n.isEmpty() ? n : "runc";
    Object options = null;
    if (containerd.get("runtimes") instanceof Map<?, ?> runtimes
        && runtimes.get(name) instanceof Map<?, ?> runtime) {
      options = runtime.get("options");
    }
    boolean systemd =
        options instanceof Map<?, ?> o && Boolean.TRUE.equals(o.get("SystemdCgroup"))
            || Boolean.TRUE.equals(root.get("systemdCgroup"));
    return Optional.of(
        new RuntimeCgroupDriver(systemd ? CgroupDriver.SYSTEMD : CgroupDriver.CGROUPFS, name));
  }

  /** Where containerd says it, for an error message. */
  String setting() {
    return "containerd's runtime \""
        + runtimeName
        + "\" has SystemdCgroup = "
        + (driver == CgroupDriver.SYSTEMD);
  }

  /** The containerd setting that would give {@code wanted}. */
  String fix(CgroupDriver wanted) {
    return "SystemdCgroup = "
        + (wanted == CgroupDriver.SYSTEMD)
        + " under [plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes."
        + runtimeName
        + ".options]";
  }
}
