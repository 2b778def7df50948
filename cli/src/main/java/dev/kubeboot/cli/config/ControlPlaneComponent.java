package dev.kubeboot.cli.config;

import java.util.List;

/** {@code controllerManager} and {@code scheduler}: extra flags, volumes and environment. */
public record ControlPlaneComponent(
    List<ExtraArg> extraArgs, List<HostPathMount> extraVolumes, List<EnvVar> extraEnvs) {
  public ControlPlaneComponent {
    extraArgs = List.copyOf(extraArgs);
    extraVolumes = List.copyOf(extraVolumes);
    extraEnvs = List.copyOf(extraEnvs);
  }

  static ControlPlaneComponent empty() {
    return new ControlPlaneComponent(List.of(), List.of(), List.of());
  }
}
