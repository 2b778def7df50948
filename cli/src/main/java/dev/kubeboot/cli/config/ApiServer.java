package dev.kubeboot.cli.config;

import java.util.List;

/**
 * {@code ClusterConfiguration.apiServer}. v1beta3's {@code timeoutForControlPlane} is not here: the
 * reader moves it to {@link Timeouts#controlPlaneComponentHealthCheck()}.
 */
public record ApiServer(
    List<ExtraArg> extraArgs,
    List<HostPathMount> extraVolumes,
    List<EnvVar> extraEnvs,
    List<String> certSANs) {
  public ApiServer {
    extraArgs = List.copyOf(extraArgs);
    extraVolumes = List.copyOf(extraVolumes);
    extraEnvs = List.copyOf(extraEnvs);
    certSANs = List.copyOf(certSANs);
  }

  static ApiServer empty() {
    return new ApiServer(List.of(), List.of(), List.of(), List.of());
  }

  ApiServer withCertSANs(List<String> sans) {
    return new ApiServer(extraArgs, extraVolumes, extraEnvs, sans);
  }
}
