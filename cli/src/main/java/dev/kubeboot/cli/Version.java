package dev.kubeboot.cli;

/**
 * kubeboot's own version, read from the jar manifest. Kept free of picocli and other libraries:
 * {@code kubeboot --version} loads this class and nothing else of ours.
 */
public final class Version {
  private Version() {}

  public static String kubeboot() {
    String v = Version.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  public static String line() {
    return "kubeboot version v"
        + kubeboot()
        + " (kubeadm 1.34 behaviour; renders Kubernetes v1.31-v1.34)";
  }
}
