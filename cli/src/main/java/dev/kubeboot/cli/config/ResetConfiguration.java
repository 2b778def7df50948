package dev.kubeboot.cli.config;

import java.util.List;
import java.util.Optional;

/**
 * kubeadm's {@code ResetConfiguration} (kubeadm.k8s.io/v1beta4, the only version that has it): the
 * settings of {@code reset} a file can give instead of flags. Fields are as read, unset ones empty
 * or false, as in kubeadm where a flag given on the command line wins.
 */
public record ResetConfiguration(
    boolean cleanupTmpDir,
    Optional<String> certificatesDir,
    Optional<String> criSocket,
    boolean dryRun,
    boolean force,
    List<String> ignorePreflightErrors,
    List<String> skipPhases,
    List<String> unmountFlags,
    Timeouts timeouts) {
  public ResetConfiguration {
    ignorePreflightErrors = List.copyOf(ignorePreflightErrors);
    skipPhases = List.copyOf(skipPhases);
    unmountFlags = List.copyOf(unmountFlags);
  }
}
