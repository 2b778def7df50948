package dev.kubeboot.templates;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The etcd release behind an etcd image tag such as {@code 3.6.4-0} (the {@code -0} is the image
 * revision, not a pre-release). kubeadm's default tag per release is in {@link KubeadmRelease}.
 */
public record EtcdVersion(int major, int minor, int patch) implements Comparable<EtcdVersion> {

  private static final Pattern TAG =
      Pattern.compile("v?([0-9]{1,6})\\.([0-9]{1,6})\\.([0-9]{1,6})(?:[-+_].*)?");

  /** From this release etcd has graduated flags (feature-gates, watch-progress-notify-interval). */
  static final EtcdVersion GRADUATED_FLAGS = new EtcdVersion(3, 6, 0);

  /** From this release etcd serves /livez and /readyz, which kubeadm 1.31+ probes. */
  static final EtcdVersion LIVEZ_READYZ = new EtcdVersion(3, 5, 11);

  /** The version a tag names, or empty for tags such as {@code latest} or a digest. */
  public static Optional<EtcdVersion> fromImageTag(String tag) {
    if (tag == null) {
      return Optional.empty();
    }
    Matcher m = TAG.matcher(tag);
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of(
        new EtcdVersion(
            Integer.parseInt(m.group(1)),
            Integer.parseInt(m.group(2)),
            Integer.parseInt(m.group(3))));
  }

  public boolean isAtLeast(EtcdVersion other) {
    return compareTo(other) >= 0;
  }

  @Override
  public int compareTo(EtcdVersion o) {
    if (major != o.major) {
      return Integer.compare(major, o.major);
    }
    if (minor != o.minor) {
      return Integer.compare(minor, o.minor);
    }
    return Integer.compare(patch, o.patch);
  }

  @Override
  public String toString() {
    return major + "." + minor + "." + patch;
  }
}
