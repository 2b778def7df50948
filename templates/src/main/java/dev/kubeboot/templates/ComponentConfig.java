package dev.kubeboot.templates;

import java.util.List;

/**
 * What kubeadm's ClusterConfiguration lets a user add to one control-plane component: {@code
 * apiServer}, {@code controllerManager} or {@code scheduler}.
 */
public record ComponentConfig(
    List<Arg> extraArgs, List<HostPathMount> extraVolumes, List<EnvVar> extraEnvs) {

  public static final ComponentConfig NONE = new ComponentConfig(List.of(), List.of(), List.of());

  public ComponentConfig {
    extraArgs = List.copyOf(extraArgs);
    extraVolumes = List.copyOf(extraVolumes);
    extraEnvs = List.copyOf(extraEnvs);
  }
}
