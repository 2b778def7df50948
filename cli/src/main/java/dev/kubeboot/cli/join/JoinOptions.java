package dev.kubeboot.cli.join;

import dev.kubeboot.cli.init.InitOptions;
import dev.kubeboot.cli.options.RunnerOptions;
import dev.kubeboot.runner.RunnerSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * kubeadm join's flags (where kubeboot uses them) plus init's node flags; shared by join and join
 * phase. Each is null or empty when not given, so that a JoinConfiguration value stays.
 */
public final class JoinOptions {
  @Parameters(
      arity = "0..1",
      paramLabel = "API_SERVER_ENDPOINT",
      description = "host:port of the cluster's API server (its control-plane endpoint).")
  String endpoint;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Path to a JoinConfiguration file (kubeadm.k8s.io/v1beta4 or v1beta3).")
  Path config;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      description = "Use this token for both discovery-token and tls-bootstrap-token.")
  String token;

  @Option(
      names = "--discovery-token",
      paramLabel = "TOKEN",
      description = "The token to validate the cluster information fetched from the API server.")
  String discoveryToken;

  @Option(
      names = "--discovery-token-ca-cert-hash",
      split = ",",
      paramLabel = "sha256:HASH",
      description =
          "The CA's public key pin, sha256:<hex> (kubeboot init prints it); may be repeated.")
  List<String> caCertHashes = new ArrayList<>();

  @Option(
      names = "--discovery-token-unsafe-skip-ca-verification",
      description = "Trust the cluster's CA without pinning it (not recommended).")
  boolean unsafeSkipCaVerification;

  @Option(
      names = "--discovery-file",
      paramLabel = "FILE",
      description =
          "A kubeconfig holding the cluster's server and CA, brought by a trusted channel.")
  Path discoveryFile;

  @Option(
      names = "--control-plane",
      description = "Create a new control plane instance on this node.")
  boolean controlPlane;

  @Option(
      names = "--certificate-key",
      paramLabel = "KEY",
      description = "The key (64 hex characters) that decrypts the certificates init uploaded.")
  String certificateKey;

  @Option(
      names = "--apiserver-advertise-address",
      paramLabel = "IP",
      description =
          "The IP address this node's API server advertises; default: the address of the default-route interface.")
  String advertiseAddress;

  @Option(
      names = "--apiserver-bind-port",
      paramLabel = "PORT",
      description = "Port for this node's API server to bind to (default 6443).")
  Integer bindPort;

  @Option(
      names = "--node-name",
      paramLabel = "NAME",
      description = "The node name (default: the host name, lower-cased).")
  String nodeName;

  @Option(
      names = "--kubernetes-dir",
      paramLabel = "DIR",
      description =
          "Where kubeconfigs (DIR/*.conf) and manifests (DIR/manifests) go (default /etc/kubernetes); certificates then go to DIR/pki and local etcd's data to DIR/etcd-data.")
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
      description = "The container runtime's socket.")
  String containerRuntimeEndpoint;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      description =
          "How long wait-control-plane waits, e.g. 4m (default: the config's timeouts.controlPlaneComponentHealthCheck).")
  String timeout;

  @Mixin RunnerOptions runner = new RunnerOptions();

  /** The options of this node as init's phases take them. */
  InitOptions nodeOptions(boolean dryRunFromConfig) {
    return InitOptions.forJoiningNode(
        kubernetesDir,
        runner,
        containerRuntime,
        containerRuntimeEndpoint,
        dryRun || dryRunFromConfig,
        ignorePreflightErrors,
        timeout);
  }

  public boolean dryRun() {
    return dryRun;
  }

  public Path kubernetesDirOrDefault() {
    return nodeOptions(false).kubernetesDirOrDefault();
  }
}
