package dev.kubeboot.templates;

/**
 * A probe's port: the number, and from Kubernetes 1.34 the container port name kubeadm declares for
 * it ({@code probe-port}).
 *
 * @param name null when the probe uses the number
 */
public record ProbePort(int number, String name) {
  public static ProbePort ofNumber(int number) {
    return new ProbePort(number, null);
  }

  public static ProbePort ofName(String name, int number) {
    return new ProbePort(number, name);
  }

  public boolean isNamed() {
    return name != null;
  }
}
