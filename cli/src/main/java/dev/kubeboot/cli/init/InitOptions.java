package dev.kubeboot.cli.init;

import dev.kubeboot.cli.config.InitFlags;
import dev.kubeboot.cli.config.NodePaths;
import dev.kubeboot.cli.options.RunnerOptions;
import dev.kubeboot.runner.RunnerClient;
import dev.kubeboot.runner.RunnerSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * kubeadm init's flags (where kubeadm has them) plus kubeboot's own; shared by init and init phase.
 */
public final class InitOptions {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Path to a kubeadm configuration file (kubeadm.k8s.io/v1beta4 or v1beta3).")
  Path config;

  @Option(
      names = "--kubernetes-version",
      paramLabel = "VERSION",
      description =
          "Kubernetes version to render for, v1.31 to v1.34 (default: the newest v1.34 patch kubeboot knows).")
  String kubernetesVersion;

  @Option(
      names = "--apiserver-advertise-address",
      paramLabel = "IP",
      description =
          "The IP address the API server advertises; default: the address of the default-route interface.")
  String advertiseAddress;

  @Option(
      names = "--apiserver-bind-port",
      paramLabel = "PORT",
      description = "Port for the API server to bind to (default 6443).")
  Integer bindPort;

  @Option(
      names = "--control-plane-endpoint",
      paramLabel = "HOST[:PORT]",
      description = "A stable IP address or DNS name for the control plane.")
  String controlPlaneEndpoint;

  @Option(
      names = "--apiserver-cert-extra-sans",
      split = ",",
      paramLabel = "SAN",
      description =
          "Extra Subject Alternative Names (IPs and DNS names) for the API server serving certificate.")
  List<String> certExtraSans = new ArrayList<>();

  @Option(
      names = "--pod-network-cidr",
      paramLabel = "CIDR",
      description =
          "The IP address range for the pod network; the controller-manager allocates node CIDRs from it.")
  String podNetworkCidr;

  @Option(
      names = "--service-cidr",
      paramLabel = "CIDR",
      description = "The IP address range for service VIPs (default 10.96.0.0/12).")
  String serviceCidr;

  @Option(
      names = "--service-dns-domain",
      paramLabel = "DOMAIN",
      description = "The cluster DNS domain (default cluster.local).")
  String serviceDnsDomain;

  @Option(
      names = "--node-name",
      paramLabel = "NAME",
      description = "The node name (default: the host name, lower-cased).")
  String nodeName;

  @Option(
      names = "--image-repository",
      paramLabel = "REPO",
      description =
          "The container registry to take control-plane images from (default registry.k8s.io).")
  String imageRepository;

  @Option(
      names = "--cert-dir",
      paramLabel = "DIR",
      description =
          "Where certificates are stored (default /etc/kubernetes/pki, or DIR/pki with --kubernetes-dir).")
  Path certDir;

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

  @Option(
      names = "--kubeconfig",
      paramLabel = "FILE",
      description =
          "The kubeconfig the API phases use to talk to the cluster (default: admin.conf in the kubernetes dir).")
  Path kubeconfig;

  @Option(
      names = "--upload-certs",
      description =
          "Upload the control-plane certificates to the kubeadm-certs Secret (encrypted with the certificate key).")
  boolean uploadCerts;

  @Option(
      names = "--certificate-key",
      paramLabel = "KEY",
      description =
          "The key (64 hex characters) the uploaded certificates are encrypted with; generated when not given.")
  String certificateKey;

  @Option(
      names = "--skip-certificate-key-print",
      description = "Don't print the key used to encrypt the control-plane certificates.")
  boolean skipCertificateKeyPrint;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      description =
          "The token for establishing bidirectional trust with joining nodes, [a-z0-9]{6}.[a-z0-9]{16} (default: generated).")
  String token;

  @Option(
      names = "--token-ttl",
      paramLabel = "DURATION",
      description =
          "How long before the token is deleted, e.g. 1s, 2m, 3h; 0 means never (default 24h0m0s).")
  String tokenTtl;

  @Option(
      names = "--skip-token-print",
      description = "Skip printing of the default bootstrap token generated by init.")
  boolean skipTokenPrint;

  @Option(
      names = "--foreground",
      description =
          "Keep the runner in this process after init instead of starting it in the background.")
  boolean foreground;

  /** The flags as overrides of the config file. */
  InitFlags flags() {
    return new InitFlags(
        kubernetesVersion,
        advertiseAddress,
        bindPort,
        controlPlaneEndpoint,
        certExtraSans.isEmpty() ? null : List.copyOf(certExtraSans),
        podNetworkCidr,
        serviceCidr,
        serviceDnsDomain,
        nodeName,
        imageRepository,
        certDir == null ? null : certDir.toAbsolutePath().toString());
  }

  /**
   * Where this node's files go unless the config says otherwise: kubeadm's places, or places under
   * {@code --kubernetes-dir} (DIR/pki, DIR/etcd-data, DIR/manifests).
   */
  public NodePaths nodePaths() {
    return kubernetesDir == null ? NodePaths.standard() : NodePaths.under(kubernetesDir);
  }

  /**
   * The options of a command that works on an existing node (certs, reset): where its files are,
   * which config file describes it and where its runner is; every other init flag unset.
   */
  public static InitOptions forNode(
      Path config, Path kubernetesDir, Path certDir, RunnerOptions runner) {
    var options = new InitOptions();
    options.config = config;
    options.kubernetesDir = kubernetesDir;
    options.certDir = certDir;
    options.runner = runner;
    return options;
  }

  /**
   * The options of a node joining a cluster: its own directories, runner and runtime; the cluster's
   * settings come from the cluster, not from flags.
   */
  public static InitOptions forJoiningNode(
      Path kubernetesDir,
      RunnerOptions runner,
      String containerRuntime,
      String containerRuntimeEndpoint,
      boolean dryRun,
      List<String> ignorePreflightErrors,
      String timeout) {
    var options = new InitOptions();
    options.kubernetesDir = kubernetesDir;
    options.runner = runner;
    options.containerRuntime = containerRuntime;
    options.containerRuntimeEndpoint = containerRuntimeEndpoint;
    options.dryRun = dryRun;
    options.ignorePreflightErrors = new ArrayList<>(ignorePreflightErrors);
    options.timeout = timeout;
    return options;
  }

  public Path kubernetesDirOrDefault() {
    return kubernetesDir != null
        ? kubernetesDir.toAbsolutePath()
        : KubeLayout.DEFAULT_KUBERNETES_DIR;
  }

  /** Where init put (or puts) the files of this node under this configuration. */
  public KubeLayout layout(dev.kubeboot.cli.config.KubeadmConfig config) {
    return KubeLayout.of(kubernetesDirOrDefault(), Path.of(config.cluster().certificatesDir()));
  }

  public boolean dryRun() {
    return dryRun;
  }

  /** {@code --config} as given; empty when not. */
  public Optional<Path> configFile() {
    return Optional.ofNullable(config);
  }

  /** {@code --kubernetes-version} as given; empty when not. */
  public Optional<String> kubernetesVersionFlag() {
    return Optional.ofNullable(kubernetesVersion);
  }

  /** Renders for {@code version} whatever the config says (an upgrade's target). */
  public void renderKubernetesVersion(String version) {
    kubernetesVersion = version;
  }

  /** {@code --timeout} as given; empty when not. */
  public Optional<String> timeoutFlag() {
    return Optional.ofNullable(timeout);
  }

  /** The runner's state directory these options name (see {@code --runner-state-dir}). */
  public Path runnerStateDir() {
    return runner.stateDir(Optional.ofNullable(kubernetesDir));
  }

  /** The client of the runner these options name. */
  public RunnerClient runnerClient() {
    return runner.client(Optional.ofNullable(kubernetesDir));
  }

  public RunnerOptions runnerOptions() {
    return runner;
  }

  public boolean foreground() {
    return foreground && !dryRun;
  }
}
