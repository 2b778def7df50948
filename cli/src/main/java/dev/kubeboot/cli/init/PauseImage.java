package dev.kubeboot.cli.init;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * kubeadm's pod sandbox ("pause") image for a Kubernetes version: {@code
 * <imageRepository>/pause:<tag>}, the tag being the one kubeadm of that minor release pins.
 */
public final class PauseImage {
  public static final String DEFAULT_REPOSITORY = "registry.k8s.io";

  private static final Pattern MINOR = Pattern.compile("v?1\\.(\\d+)(?:[.\\-+].*)?");

  private PauseImage() {}

  /**
   * The pause image for {@code kubernetesVersion} ("1.34", "v1.34.2"): 3.10.1 from 1.34 on, 3.10
   * for 1.31 to 1.33, 3.9 before; an unreadable version gets the newest.
   */
  public static String of(String imageRepository, String kubernetesVersion) {
    return imageRepository + "/pause:" + tag(kubernetesVersion);
  }

  static String tag(String kubernetesVersion) {
    Matcher m = MINOR.matcher(kubernetesVersion == null ? "" : kubernetesVersion);
    if (!m.matches()) {
      return "3.10.1";
    }
    int minor = Integer.parseInt(m.group(1));
    if (minor >= 34) {
      return "3.10.1";
    }
    return minor >= 31 ? "3.10" : "3.9";
  }
}
