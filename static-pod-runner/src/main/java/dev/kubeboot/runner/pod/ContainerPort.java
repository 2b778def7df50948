package dev.kubeboot.runner.pod;

import java.util.Objects;

/**
 * A declared container port.
 *
 * @param name empty string when unnamed
 * @param hostPort equals containerPort on hostNetwork pods (API defaulting); 0 when none
 * @param hostIP the node address a hostPort listens on; empty for all
 */
public record ContainerPort(
    String name, int containerPort, String protocol, int hostPort, String hostIP) {
  public ContainerPort {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(hostIP, "hostIP");
  }

  /** A port without a hostIP. */
  public ContainerPort(String name, int containerPort, String protocol, int hostPort) {
    this(name, containerPort, protocol, hostPort, "");
  }
}
