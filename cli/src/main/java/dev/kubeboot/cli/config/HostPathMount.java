package dev.kubeboot.cli.config;

import java.util.Objects;
import java.util.Optional;

/** An extra hostPath volume mounted into a control-plane component ({@code extraVolumes}). */
public record HostPathMount(
    String name, String hostPath, String mountPath, boolean readOnly, Optional<String> pathType) {
  public HostPathMount {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(hostPath, "hostPath");
    Objects.requireNonNull(mountPath, "mountPath");
    Objects.requireNonNull(pathType, "pathType");
  }
}
