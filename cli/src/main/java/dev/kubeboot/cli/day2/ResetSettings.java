package dev.kubeboot.cli.day2;

import dev.kubeboot.cli.UsageException;
import dev.kubeboot.cli.config.ResetConfiguration;
import dev.kubeboot.runner.manifest.GoDuration;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What reset does, from its flags and the ResetConfiguration of --config: as in kubeadm, a flag
 * given on the command line wins over the file, and a switch is on when either turns it on.
 *
 * @param certDir the certificate directory to use instead of the init configuration's, if any
 * @param timeout how long to wait for etcd, for the pods to stop and the runner to exit
 */
record ResetSettings(
    boolean force,
    boolean dryRun,
    boolean cleanupTmpDir,
    Set<ResetPhase> skipped,
    Duration timeout,
    Optional<Path> certDir) {
  /** Without a --timeout or the file's timeouts.etcdAPICall. */
  static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(1);

  ResetSettings {
    skipped = Set.copyOf(skipped);
  }

  /** The flags as given ({@code null} or empty for one not given) and the file's settings. */
  record Flags(
      boolean force,
      boolean dryRun,
      boolean cleanupTmpDir,
      List<String> skipPhases,
      String timeout,
      Path certDir) {}

  /**
   * @param source the config file, for errors about its values
   * @throws UsageException naming the flag or field whose value is wrong
   */
  static ResetSettings of(Flags flags, Optional<ResetConfiguration> file, Path source)
      throws UsageException {
    Set<ResetPhase> skipped =
        flags.skipPhases() != null && !flags.skipPhases().isEmpty()
            ? ResetPhase.parse(flags.skipPhases(), "--skip-phases")
            : ResetPhase.parse(
                file.map(ResetConfiguration::skipPhases).orElse(List.of()),
                source + ": ResetConfiguration.skipPhases");
    Duration timeout;
    if (flags.timeout() != null) {
      timeout =
          GoDuration.parse(flags.timeout())
              .orElseThrow(
                  () ->
                      new UsageException(
                          "--timeout "
                              + flags.timeout()
                              + " is not a duration: write it like 1m, 90s or 1m30s"));
    } else {
      timeout =
          Optional.ofNullable(file.map(f -> f.timeouts().etcdAPICall()).orElse(null))
              .orElse(DEFAULT_TIMEOUT);
    }
    Optional<Path> certDir =
        flags.certDir() != null
            ? Optional.of(flags.certDir())
            : file.flatMap(ResetConfiguration::certificatesDir).map(Path::of);
    return new ResetSettings(
        flags.force() || file.map(ResetConfiguration::force).orElse(false),
        flags.dryRun() || file.map(ResetConfiguration::dryRun).orElse(false),
        flags.cleanupTmpDir() || file.map(ResetConfiguration::cleanupTmpDir).orElse(false),
        skipped,
        timeout,
        certDir);
  }

  boolean runs(ResetPhase phase) {
    return !skipped.contains(phase);
  }
}
