package dev.kubeboot.cli;

import dev.kubeboot.cli.config.AdvertiseAddressDetector;
import dev.kubeboot.cli.config.GoDuration;
import dev.kubeboot.cli.init.EmbeddedRunner;
import dev.kubeboot.runner.RunnerConfig;
import dev.kubeboot.runner.StaticPodRunner;
import dev.kubeboot.runner.manifest.KubeletConfigFile;
import dev.kubeboot.runner.manifest.ManifestException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "runner",
    mixinStandardHelpOptions = true,
    description = {
      "Run the embedded static-pod runner in the foreground: the static-pod half of a kubelet.",
      "It watches the manifest directory and keeps its pods running. On SIGTERM it exits and leaves the"
          + " pods running, as a kubelet restart does; the next runner adopts them."
    })
final class RunnerCommand implements Callable<Integer> {
  static final Path DEFAULT_STATE_DIR = Path.of("/var/lib/kubeboot");

  private final CliContext context;

  @Option(
      names = "--pod-manifest-path",
      paramLabel = "DIR",
      description =
          "The static pod manifest directory (default /etc/kubernetes/manifests, or the --config file's staticPodPath).")
  Path manifestPath;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "A KubeletConfiguration (kubelet.config.k8s.io/v1beta1) file: staticPodPath and fileCheckFrequency are used; flags win.")
  Path kubeletConfig;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description = "Pid files, container logs and status.json (default ${DEFAULT-VALUE}).",
      defaultValue = "/var/lib/kubeboot")
  Path stateDir;

  @Option(
      names = "--node-name",
      paramLabel = "NAME",
      description =
          "The node name static pod names are suffixed with (default: the host name, lower-cased).")
  String nodeName;

  @Option(
      names = "--node-ip",
      paramLabel = "IP",
      description =
          "The node IP: pod IP of hostNetwork pods and probe target when a probe names no host (default: the default-route interface's address).")
  String nodeIp;

  @Option(
      names = "--container-runtime",
      paramLabel = "RUNTIME",
      description =
          "process (host processes), docker, cri, or auto: a CRI socket (containerd, CRI-O), else Docker, else host processes (default: ${DEFAULT-VALUE}).",
      defaultValue = "auto")
  String runtime;

  @Option(
      names = "--container-runtime-endpoint",
      paramLabel = "URI",
      description =
          "The container runtime's socket (default: unix:///run/containerd/containerd.sock for cri, unix:///var/run/docker.sock for docker).")
  String runtimeEndpoint;

  @Option(
      names = "--bin-dir",
      paramLabel = "DIR",
      description = "Where the process runtime looks for executables before PATH (repeatable).")
  List<Path> binDirs = new ArrayList<>();

  @Option(
      names = "--status-port",
      paramLabel = "PORT",
      description = "Port of /healthz and /pods on 127.0.0.1 (default ${DEFAULT-VALUE}).",
      defaultValue = "10248")
  int statusPort;

  @Option(
      names = "--file-check-frequency",
      paramLabel = "DURATION",
      description =
          "How often the manifest directory is listed again besides watching it (default 20s).")
  String fileCheckFrequency;

  @Option(
      names = "--kubeconfig",
      paramLabel = "FILE",
      description =
          "Show the static pods on this API server as read-only mirror pods and register the node (init passes kubelet.conf). Without it, or while the API server is unreachable, pods run exactly the same.")
  Path kubeconfig;

  @Option(
      names = "--kubernetes-version",
      paramLabel = "VERSION",
      description =
          "Shown in probes' User-Agent kube-probe/<major>.<minor> (default ${DEFAULT-VALUE}).",
      defaultValue = "1.34")
  String kubernetesVersion;

  @Mixin PodNetworkFlags network = new PodNetworkFlags();

  RunnerCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws Exception {
    StaticPodRunner runner = start(context);
    var stopped = new CountDownLatch(1);
    var hook =
        new Thread(
            () -> {
              runner.close();
              stopped.countDown();
            },
            "kubeboot-runner-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    stopped.await();
    return ExitCodes.OK;
  }

  /** Starts a runner from these options; the caller owns it. */
  StaticPodRunner start(CliContext context) throws Exception {
    Path manifests = manifestPath;
    Duration frequency = RunnerConfig.DEFAULT_FILE_CHECK_FREQUENCY;
    if (kubeletConfig != null) {
      try {
        var file = KubeletConfigFile.read(kubeletConfig);
        if (manifests == null) {
          manifests = file.staticPodPath().orElse(null);
        }
        frequency = file.fileCheckFrequency().orElse(frequency);
      } catch (ManifestException e) {
        throw new UsageException(e.getMessage(), e);
      }
    }
    if (manifests == null) {
      manifests = Path.of("/etc/kubernetes/manifests");
    }
    if (fileCheckFrequency != null) {
      frequency =
          GoDuration.parse(fileCheckFrequency)
              .orElseThrow(
                  () ->
                      new UsageException(
                          "--file-check-frequency "
                              + fileCheckFrequency
                              + " is not a duration: write it like 20s or 1m"));
    }
    String node = nodeName != null ? nodeName : hostname();
    String ip = nodeIp != null ? nodeIp : new AdvertiseAddressDetector().detect().getHostAddress();
    var settings =
        new EmbeddedRunner.Settings(
            manifests,
            stateDir,
            node,
            ip,
            runtime,
            runtimeEndpoint,
            statusPort,
            binDirs,
            frequency,
            kubernetesVersion,
            java.util.Optional.ofNullable(kubeconfig),
            network.options(),
            network.podInfraImage(kubernetesVersion));
    context
        .err()
        .printf(
            "kubeboot runner: serving %s; status on http://127.0.0.1:%d/pods%n",
            manifests.toAbsolutePath(), statusPort);
    context.err().flush();
    try {
      return EmbeddedRunner.start(settings);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage(), e);
    }
  }

  static String hostname() {
    try {
      return Files.readString(Path.of("/proc/sys/kernel/hostname"))
          .strip()
          .toLowerCase(Locale.ROOT);
    } catch (java.io.IOException e) {
      return "localhost";
    }
  }
}
