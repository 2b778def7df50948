package dev.kubeboot.templates;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kubernetes release as kubeadm's {@code kubernetesVersion} names it, parsed once where it enters
 * kubeboot (a config file or a flag) and passed around as this type.
 *
 * @param text as written: {@code v1.34.1+k3s1}, or {@code 1.34.0} as {@code kubeadm config print}
 *     writes it; {@link #normalized()} adds the {@code v} as kubeadm's NormalizeKubernetesVersion
 */
public record KubernetesVersion(int major, int minor, int patch, String text)
    implements Comparable<KubernetesVersion> {

  private static final Pattern SEMVER =
      Pattern.compile(
          "v?(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)"
              + "(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?");

  private static final String DEFAULT_TEXT = "v1.34.2";

  /** Oldest release kubeboot renders for; with {@link #MAX_SUPPORTED} the range of kubeadm 1.34. */
  public static final KubernetesVersion MIN_SUPPORTED = new KubernetesVersion(1, 31, 0, "v1.31.0");

  /** Newest minor kubeboot renders for; any patch of it is accepted. */
  public static final KubernetesVersion MAX_SUPPORTED = new KubernetesVersion(1, 34, 0, "v1.34.0");

  /**
   * What kubeadm's {@code stable-1} resolves to when kubeboot cannot go online: the newest v1.34
   * patch this code knows (v1.34.2, November 2025).
   */
  public static final KubernetesVersion DEFAULT = parse(DEFAULT_TEXT);

  public KubernetesVersion {
    Objects.requireNonNull(text, "text");
    Matcher m = SEMVER.matcher(text);
    if (!m.matches()
        || !m.group(1).equals(Integer.toString(major))
        || !m.group(2).equals(Integer.toString(minor))
        || !m.group(3).equals(Integer.toString(patch))) {
      throw new InvalidInputException(
          "kubernetesVersion",
          text,
          "the text must be [v]" + major + "." + minor + "." + patch + " with an optional suffix");
    }
  }

  /**
   * Parses {@code v1.34.1}, {@code 1.34.1}, {@code v1.33.0-rc.1} or {@code v1.34.1+k3s1}.
   *
   * @throws InvalidInputException naming {@code kubernetesVersion} when the text is no version
   */
  public static KubernetesVersion parse(String text) {
    if (text == null) {
      throw new InvalidInputException("kubernetesVersion", "null", "a version is required");
    }
    String trimmed = text.trim();
    Matcher m = SEMVER.matcher(trimmed);
    if (!m.matches()) {
      throw new InvalidInputException(
          "kubernetesVersion",
          text,
          "not a Kubernetes version; use a release such as "
              + DEFAULT_TEXT
              + " (kubeboot does not resolve labels like stable-1 online)");
    }
    try {
      return new KubernetesVersion(
          Integer.parseInt(m.group(1)),
          Integer.parseInt(m.group(2)),
          Integer.parseInt(m.group(3)),
          trimmed);
    } catch (NumberFormatException e) {
      throw new InvalidInputException("kubernetesVersion", text, "version number out of range");
    }
  }

  /** True for v1.31.x through v1.34.x, what kubeadm 1.34 deploys. */
  public boolean isSupported() {
    return major == 1 && minor >= MIN_SUPPORTED.minor && minor <= MAX_SUPPORTED.minor;
  }

  /**
   * Returns this version when kubeboot can render it.
   *
   * @throws InvalidInputException naming {@code kubernetesVersion} and the supported range
   */
  public KubernetesVersion requireSupported() {
    if (!isSupported()) {
      throw new InvalidInputException(
          "kubernetesVersion",
          text,
          "kubeboot renders Kubernetes v"
              + MIN_SUPPORTED.major
              + "."
              + MIN_SUPPORTED.minor
              + " through v"
              + MAX_SUPPORTED.major
              + "."
              + MAX_SUPPORTED.minor
              + " (as kubeadm 1.34); set kubernetesVersion to a release in that range, e.g. "
              + DEFAULT_TEXT);
    }
    return this;
  }

  /** This version written with its leading {@code v}, as kubeadm writes it after defaulting. */
  public KubernetesVersion normalized() {
    return text.startsWith("v") ? this : new KubernetesVersion(major, minor, patch, "v" + text);
  }

  /** The image tag kubeadm uses: the normalized version with {@code +} replaced by {@code _}. */
  public String imageTag() {
    return normalized().text.replace('+', '_');
  }

  /** The facts of the kubeadm release that renders this version. */
  public KubeadmRelease kubeadmRelease() {
    return KubeadmRelease.of(this);
  }

  /** True when this minor release is at least {@code major.minor}. */
  public boolean isAtLeast(int otherMajor, int otherMinor) {
    return major != otherMajor ? major > otherMajor : minor >= otherMinor;
  }

  @Override
  public int compareTo(KubernetesVersion o) {
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
    return text;
  }
}
