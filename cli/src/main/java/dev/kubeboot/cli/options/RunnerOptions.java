package dev.kubeboot.cli.options;

import dev.kubeboot.runner.RunnerClient;
import dev.kubeboot.runner.RunnerSpec;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Where a command finds the runner: its status port and its state directory. One mixin, so every
 * command has the same flags with the same defaults.
 */
public final class RunnerOptions {
  @Option(
      names = "--status-port",
      paramLabel = "PORT",
      description = "The runner's read-only status port on 127.0.0.1 (default ${DEFAULT-VALUE}).",
      defaultValue = "" + RunnerSpec.DEFAULT_STATUS_PORT)
  int statusPort = RunnerSpec.DEFAULT_STATUS_PORT;

  @Option(
      names = "--runner-state-dir",
      paramLabel = "DIR",
      description =
          "The runner's state directory: pid file, status, container logs and control socket"
              + " (default "
              + RunnerSpec.DEFAULT_STATE_DIR
              + ", or DIR/runner with --kubernetes-dir DIR).")
  Path stateDir;

  public int statusPort() {
    return statusPort;
  }

  /**
   * The state directory: the flag's, else {@code <kubernetesDir>/runner} for a node kept outside
   * /etc/kubernetes, else the runner's default.
   *
   * @param kubernetesDir the --kubernetes-dir given; empty when none was
   */
  public Path stateDir(Optional<Path> kubernetesDir) {
    if (stateDir != null) {
      return stateDir.toAbsolutePath().normalize();
    }
    return kubernetesDir
        .map(dir -> dir.toAbsolutePath().normalize().resolve("runner"))
        .orElse(Path.of(RunnerSpec.DEFAULT_STATE_DIR));
  }

  /** The client of the runner these options name. */
  public RunnerClient client(Optional<Path> kubernetesDir) {
    return RunnerClient.of(statusPort, stateDir(kubernetesDir));
  }

  /** Options with these values, for commands built without picocli (tests, init's phases). */
  public static RunnerOptions of(int statusPort, Path stateDir) {
    var options = new RunnerOptions();
    options.statusPort = statusPort;
    options.stateDir = stateDir;
    return options;
  }
}
