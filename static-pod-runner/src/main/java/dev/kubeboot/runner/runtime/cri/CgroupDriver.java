package dev.kubeboot.runner.runtime.cri;

import java.util.Locale;

/**
 * How pod cgroups are named and made, the kubelet's {@code cgroupDriver}: it must be the runtime's
 * own (containerd's runc option {@code SystemdCgroup}), or containers land outside the pod's
 * cgroup.
 */
public enum CgroupDriver {
  /** Plain cgroupfs paths, {@code <root>/pod<uid>}. */
  CGROUPFS,
  /** systemd slices, {@code <root>.slice/<root>-pod<uid>.slice}, made by systemd. */
  SYSTEMD;

  /** The KubeletConfiguration spelling: {@code cgroupfs} or {@code systemd}. */
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @throws IllegalArgumentException neither {@code cgroupfs} nor {@code systemd}
   */
  public static CgroupDriver parse(String value) {
    for (CgroupDriver d : values()) {
      if (d.value().equals(value)) {
        return d;
      }
    }
    throw new IllegalArgumentException(
        "cgroupDriver \"" + value + "\" is neither cgroupfs nor systemd");
  }
}
