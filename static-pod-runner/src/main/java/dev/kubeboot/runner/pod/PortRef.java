package dev.kubeboot.runner.pod;

/**
 * A probe's {@code port}: a number or the name of a container port (kubeadm 1.34 uses
 * "probe-port").
 */
public sealed interface PortRef {
  record Number(int port) implements PortRef {}

  record Named(String name) implements PortRef {}
}
