package dev.kubeboot.runner.runtime.process;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * Settings of {@link HostProcessRuntime}.
 *
 * @param stateDir pid files, logs and emptyDir volumes live here (default /var/lib/kubeboot/runner)
 * @param binDirs {@code --bin-dir}: searched for component binaries before PATH, in order
 * @param clock start and finish times
 */
public record HostProcessOptions(Path stateDir, List<Path> binDirs, Clock clock) {
  public static final Path DEFAULT_STATE_DIR = Path.of("/var/lib/kubeboot/runner");

  public HostProcessOptions {
    Objects.requireNonNull(stateDir, "stateDir");
    binDirs = List.copyOf(binDirs);
    Objects.requireNonNull(clock, "clock");
  }
}
