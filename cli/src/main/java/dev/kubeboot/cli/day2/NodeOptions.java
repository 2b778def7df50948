package dev.kubeboot.cli.day2;

import dev.kubeboot.cli.init.InitOptions;
import dev.kubeboot.cli.options.RunnerOptions;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where an existing node's files are: the flags of the commands that work on what init made. */
final class NodeOptions {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "The kubeadm configuration file init used (for certificatesDir, encryptionAlgorithm, validity periods, etcd).")
  Path config;

  @Option(
      names = "--kubernetes-dir",
      paramLabel = "DIR",
      description =
          "Where the kubeconfigs (DIR/*.conf) and manifests (DIR/manifests) are (default /etc/kubernetes).")
  Path kubernetesDir;

  @Option(
      names = "--cert-dir",
      paramLabel = "DIR",
      description =
          "Where the certificates are (default /etc/kubernetes/pki, or DIR/pki with --kubernetes-dir).")
  Path certDir;

  /** These options, and the runner's where it is by default. */
  InitOptions initOptions() {
    return initOptions(new RunnerOptions());
  }

  /** These options, and the runner where {@code runner} says. */
  InitOptions initOptions(RunnerOptions runner) {
    return InitOptions.forNode(config, kubernetesDir, certDir, runner);
  }
}
