package dev.kubeboot.runner.runtime.process;

import dev.kubeboot.runner.network.PodNetworkOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * Settings of {@link HostProcessRuntime}.
 *
 * @param stateDir pid files and logs live here, mode 0700 (the runner's state directory)
 * @param volumesDir emptyDir volumes live here, outside the closed state dir so that a container
 *     running as another user can reach its own (default: beside the state dir, {@code
 *     <stateDir>-volumes})
 * @param binDirs {@code --bin-dir}: searched for component binaries before PATH, in order
 * @param clock start and finish times
 * @param network where pods without hostNetwork get their network namespace's network from
 */
public record HostProcessOptions(
    Path stateDir, Path volumesDir, List<Path> binDirs, Clock clock, PodNetworkOptions network) {
  public HostProcessOptions {
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(stateDir, "stateDir");
    Objects.requireNonNull(volumesDir, "volumesDir");
    binDirs = List.copyOf(binDirs);
    Objects.requireNonNull(clock, "clock");
    Path state = stateDir.toAbsolutePath().normalize();
    Path volumes = volumesDir.toAbsolutePath().normalize();
    if (volumes.startsWith(state) || state.startsWith(volumes)) {
      throw new IllegalArgumentException(
          "volumesDir "
              + volumesDir
              + " and stateDir "
              + stateDir
              + " must not contain one another: the state dir is closed (0700), emptyDirs must be"
              + " reachable for their pods' users");
    }
  }

  /** No pod CIDR, the kubelet's CNI dirs. */
  public HostProcessOptions(Path stateDir, Path volumesDir, List<Path> binDirs, Clock clock) {
    this(stateDir, volumesDir, binDirs, clock, PodNetworkOptions.defaults());
  }

  /** With emptyDirs beside the state dir, in {@code <stateDir>-volumes}; no pod CIDR. */
  public HostProcessOptions(Path stateDir, List<Path> binDirs, Clock clock) {
    this(stateDir, defaultVolumesDir(stateDir), binDirs, clock);
  }

  public HostProcessOptions withNetwork(PodNetworkOptions options) {
    return new HostProcessOptions(stateDir, volumesDir, binDirs, clock, options);
  }

  static Path defaultVolumesDir(Path stateDir) {
    Path state = stateDir.toAbsolutePath().normalize();
    if (state.getFileName() == null) {
      throw new IllegalArgumentException(
          "stateDir "
              + stateDir
              + " is the root directory: give the runner a directory of its own");
    }
    return state.resolveSibling(state.getFileName() + "-volumes");
  }
}
