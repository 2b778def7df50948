package dev.kubeboot.cli.init;

import dev.kubeboot.cli.options.RunnerOptions;
import dev.kubeboot.runner.RunnerSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The flags of a command that sets up this node's control plane, {@code init} and {@code join}
 * alike: where the node's files go, which checks may fail, which runtime the runner runs the pods
 * on and how long the control plane is waited for. Both commands mix in this one declaration.
 */
public final class NodeFlags {
  @Option(
      names = "--kubernetes-dir",
      paramLabel = "DIR",
      description =
          "Where kubeconfigs (DIR/*.conf) and manifests (DIR/manifests) go (default /etc/kubernetes); certificates then default to DIR/pki and local etcd's data to DIR/etcd-data.")
  Path kubernetesDir;

  @Option(
      names = "--dry-run",
      description = "Don't apply any changes; just output what would be done.")
  boolean dryRun;

  @Option(
      names = "--ignore-preflight-errors",
      split = ",",
      paramLabel = "CHECK",
      description =
          "Checks whose errors become warnings, e.g. Port-6443,Swap; 'all' ignores every check.")
  List<String> ignorePreflightErrors = new ArrayList<>();

  @Option(
      names = "--container-runtime",
      paramLabel = "RUNTIME",
      description =
          "process (host processes), docker, cri, or auto: a CRI socket (containerd, CRI-O), else Docker, else host processes (default: ${DEFAULT-VALUE}).",
      defaultValue = RunnerSpec.DEFAULT_RUNTIME)
  String containerRuntime = RunnerSpec.DEFAULT_RUNTIME;

  @Option(
      names = "--container-runtime-endpoint",
      paramLabel = "URI",
      description =
          "The container runtime's socket (default: unix:///run/containerd/containerd.sock for cri, unix:///var/run/docker.sock for docker).")
  String containerRuntimeEndpoint;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      description =
          "How long wait-control-plane waits, e.g. 4m (default: the config's timeouts.controlPlaneComponentHealthCheck).")
  String timeout;

  @Mixin RunnerOptions runner = new RunnerOptions();

  /** {@code --kubernetes-dir} as given; empty when not. */
  public Optional<Path> kubernetesDir() {
    return Optional.ofNullable(kubernetesDir);
  }

  /**
   * These flags with dry-run also on when {@code alsoDryRun} (a configuration file's {@code dryRun:
   * true}), leaving this object as the command line set it.
   */
  NodeFlags orDryRun(boolean alsoDryRun) {
    var copy = new NodeFlags();
    copy.kubernetesDir = kubernetesDir;
    copy.dryRun = dryRun || alsoDryRun;
    copy.ignorePreflightErrors = new ArrayList<>(ignorePreflightErrors);
    copy.containerRuntime = containerRuntime;
    copy.containerRuntimeEndpoint = containerRuntimeEndpoint;
    copy.timeout = timeout;
    copy.runner = runner;
    return copy;
  }
}
