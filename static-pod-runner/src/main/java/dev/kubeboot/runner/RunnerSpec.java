package dev.kubeboot.runner;

import dev.kubeboot.runner.manifest.GoDuration;
import dev.kubeboot.runner.manifest.KubeletConfigFile;
import dev.kubeboot.runner.manifest.ManifestException;
import dev.kubeboot.runner.mirror.NodeTaint;
import dev.kubeboot.runner.network.Cidr;
import dev.kubeboot.runner.network.PodNetworkOptions;
import dev.kubeboot.runner.runtime.LogRotation;
import dev.kubeboot.runner.runtime.cri.CgroupDriver;
import java.net.InetSocketAddress;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Everything a runner needs, as one value: what {@link Runners#start} runs in this process and what
 * {@link Runners#startDetached} hands a runner process as its flags ({@link #toArgs()}, read back
 * by {@link #fromArgs}). Both starts take the same spec, so a runner started either way is the
 * same.
 *
 * @param manifestPath the static pod directory (or single file), the kubelet's staticPodPath
 * @param nodeName pods are named {@code <name>-<nodeName>}
 * @param nodeIP hostIP of every pod, podIP of hostNetwork pods, the probe host when none is named
 * @param stateDir pid file, status.json, container logs and (by default) the control socket
 * @param statusAddress the read-only /healthz and /pods endpoint
 * @param controlSocket the unix socket restart requests come through (only the runner's user)
 * @param runtime "auto", "process", "docker" or "cri"
 * @param runtimeEndpoint the engine's socket; empty: the runtime's usual one
 * @param binDirs where the process runtime looks for executables before PATH
 * @param fileCheckFrequency how often the manifest path is listed again besides watching it
 * @param kubernetesVersion e.g. "1.34": probes send {@code User-Agent: kube-probe/1.34}
 * @param kubeconfig the API server the pods are shown on as mirror pods; empty: none
 * @param nodeLabels labels of the Node the runner registers, besides the kubelet's own
 * @param nodeTaints taints of that Node
 * @param network where pods without hostNetwork get their network: the pod CIDR, CNI dirs
 * @param podInfraImage the pause image of the docker runtime's pod sandboxes
 * @param metricsAddress where /metrics has a listener of its own; empty: on the status endpoint
 * @param containerLogs how container logs are rotated (the kubelet's containerLogMaxSize and
 *     containerLogMaxFiles)
 * @param cgroupDriver how the CRI runtime's pod cgroups are named (the kubelet's cgroupDriver); it
 *     must be the runtime's own
 */
public record RunnerSpec(
    Path manifestPath,
    String nodeName,
    String nodeIP,
    Path stateDir,
    InetSocketAddress statusAddress,
    Path controlSocket,
    String runtime,
    Optional<String> runtimeEndpoint,
    List<Path> binDirs,
    Duration fileCheckFrequency,
    String kubernetesVersion,
    Optional<Path> kubeconfig,
    Map<String, String> nodeLabels,
    List<NodeTaint> nodeTaints,
    PodNetworkOptions network,
    String podInfraImage,
    Optional<InetSocketAddress> metricsAddress,
    LogRotation containerLogs,
    CgroupDriver cgroupDriver) {
  /** The kubelet's healthz port, where the runner answers /healthz and /pods. */
  public static final int DEFAULT_STATUS_PORT = 10248;

  public static final String DEFAULT_STATUS_BIND_ADDRESS = "127.0.0.1";

  /** Where a runner keeps its state unless told otherwise. */
  public static final String DEFAULT_STATE_DIR = "/var/lib/kubeboot";

  /** The kubelet's staticPodPath as kubeadm sets it. */
  public static final String DEFAULT_MANIFEST_PATH = "/etc/kubernetes/manifests";

  public static final Duration DEFAULT_FILE_CHECK_FREQUENCY = Duration.ofSeconds(20);
  public static final String DEFAULT_RUNTIME = "auto";
  public static final String DEFAULT_KUBERNETES_VERSION = "1.34";

  /** The kubelet's pod sandbox image of Kubernetes 1.34. */
  public static final String DEFAULT_POD_INFRA_IMAGE = "registry.k8s.io/pause:3.10.1";

  /** Runtime names {@code --container-runtime} accepts. */
  public static final List<String> RUNTIMES = List.of("auto", "process", "docker", "cri");

  public RunnerSpec {
    manifestPath = absolute(manifestPath, "manifestPath");
    Objects.requireNonNull(nodeName, "nodeName");
    Objects.requireNonNull(nodeIP, "nodeIP");
    stateDir = absolute(stateDir, "stateDir");
    Objects.requireNonNull(statusAddress, "statusAddress");
    controlSocket = absolute(controlSocket, "controlSocket");
    runtime = Objects.requireNonNull(runtime, "runtime").toLowerCase(Locale.ROOT);
    Objects.requireNonNull(runtimeEndpoint, "runtimeEndpoint");
    binDirs = binDirs.stream().map(d -> absolute(d, "binDirs")).toList();
    Objects.requireNonNull(fileCheckFrequency, "fileCheckFrequency");
    Objects.requireNonNull(kubernetesVersion, "kubernetesVersion");
    kubeconfig = kubeconfig.map(k -> absolute(k, "kubeconfig"));
    nodeLabels = Collections.unmodifiableMap(new TreeMap<>(nodeLabels));
    nodeTaints = List.copyOf(nodeTaints);
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(podInfraImage, "podInfraImage");
    if (podInfraImage.isBlank()) {
      throw new IllegalArgumentException(
          "--pod-infra-container-image is empty: name the pause image, e.g. "
              + DEFAULT_POD_INFRA_IMAGE);
    }
    Objects.requireNonNull(metricsAddress, "metricsAddress");
    Objects.requireNonNull(containerLogs, "containerLogs");
    Objects.requireNonNull(cgroupDriver, "cgroupDriver");
    if (nodeName.isBlank()) {
      throw new IllegalArgumentException("--node-name is empty: give the node's name");
    }
    if (!RUNTIMES.contains(runtime)) {
      throw new IllegalArgumentException(
          "--container-runtime "
              + runtime
              + " is not known: use one of "
              + String.join(", ", RUNTIMES));
    }
    if (!fileCheckFrequency.isPositive()) {
      throw new IllegalArgumentException(
          "--file-check-frequency "
              + fileCheckFrequency
              + " is not positive: write it like 20s or 1m");
    }
  }

  private static Path absolute(Path path, String what) {
    return Objects.requireNonNull(path, what).toAbsolutePath().normalize();
  }

  /** {@code <stateDir>/control/runner.sock}: the control socket's default place. */
  public static Path controlSocketIn(Path stateDir) {
    return stateDir.resolve("control").resolve("runner.sock");
  }

  /** The spec with the defaults for everything but where and who. */
  public static Builder builder(Path manifestPath, String nodeName, String nodeIP, Path stateDir) {
    return new Builder(manifestPath, nodeName, nodeIP, stateDir);
  }

  /** A copy to change. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Where the runner writes its status for {@code kubeboot status}. */
  public Path stateFile() {
    return stateDir.resolve("status.json");
  }

  /** The flags a runner process reads back with {@link #fromArgs}: every field, explicitly. */
  public List<String> toArgs() {
    List<String> args = new ArrayList<>();
    args.add("--pod-manifest-path=" + manifestPath);
    args.add("--node-name=" + nodeName);
    args.add("--node-ip=" + nodeIP);
    args.add("--state-dir=" + stateDir);
    args.add("--status-bind-address=" + statusAddress.getHostString());
    args.add("--status-port=" + statusAddress.getPort());
    args.add("--control-socket=" + controlSocket);
    args.add("--container-runtime=" + runtime);
    runtimeEndpoint.ifPresent(e -> args.add("--container-runtime-endpoint=" + e));
    binDirs.forEach(d -> args.add("--bin-dir=" + d));
    args.add("--file-check-frequency=" + GoDuration.format(fileCheckFrequency));
    args.add("--kubernetes-version=" + kubernetesVersion);
    kubeconfig.ifPresent(k -> args.add("--kubeconfig=" + k));
    if (!nodeLabels.isEmpty()) {
      List<String> labels = new ArrayList<>();
      nodeLabels.forEach((k, v) -> labels.add(k + "=" + v));
      args.add("--node-labels=" + String.join(",", labels));
    }
    if (!nodeTaints.isEmpty()) {
      args.add(
          "--register-with-taints="
              + String.join(",", nodeTaints.stream().map(NodeTaint::toString).toList()));
    }
    if (!network.podCidrs().isEmpty()) {
      args.add(
          "--pod-cidr="
              + String.join(",", network.podCidrs().stream().map(Cidr::toString).toList()));
    }
    args.add("--cni-conf-dir=" + network.confDir());
    network.binDirs().forEach(d -> args.add("--cni-bin-dir=" + d));
    args.add("--pod-infra-container-image=" + podInfraImage);
    metricsAddress.ifPresent(
        a -> args.add("--metrics-bind-address=" + hostPort(a.getHostString(), a.getPort())));
    args.add("--container-log-max-size=" + containerLogs.maxSizeBytes());
    args.add("--container-log-max-files=" + containerLogs.maxFiles());
    args.add("--cgroup-driver=" + cgroupDriver.value());
    return List.copyOf(args);
  }

  private static String hostPort(String host, int port) {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  /** What a flag's default is when the host has to be asked (the node's name and address). */
  public interface HostDefaults {
    /** The host name, lower-cased, as the kubelet names its node. */
    String nodeName();

    /** The address of the default-route interface. */
    String nodeIP();
  }

  /** A runner flag: its name, value label and help text (defaults included). */
  public record Flag(String name, String label, String description, boolean repeatable) {}

  /** Every flag {@link #fromArgs} reads, in help order. */
  public static final List<Flag> FLAGS =
      List.of(
          new Flag(
              "--pod-manifest-path",
              "DIR",
              "The static pod manifest directory (default "
                  + DEFAULT_MANIFEST_PATH
                  + ", or the --config file's staticPodPath).",
              false),
          new Flag(
              "--config",
              "FILE",
              "A KubeletConfiguration (kubelet.config.k8s.io/v1beta1) file: staticPodPath and"
                  + " fileCheckFrequency are used; flags win.",
              false),
          new Flag(
              "--state-dir",
              "DIR",
              "Pid file, container logs, status.json and the control socket (default "
                  + DEFAULT_STATE_DIR
                  + ").",
              false),
          new Flag(
              "--node-name",
              "NAME",
              "The node name static pod names are suffixed with (default: the host name,"
                  + " lower-cased).",
              false),
          new Flag(
              "--node-ip",
              "IP",
              "The node IP: pod IP of hostNetwork pods and probe target when a probe names no host"
                  + " (default: the default-route interface's address).",
              false),
          new Flag(
              "--status-bind-address",
              "IP",
              "Address of the read-only /healthz and /pods endpoint (default "
                  + DEFAULT_STATUS_BIND_ADDRESS
                  + ").",
              false),
          new Flag(
              "--status-port",
              "PORT",
              "Port of /healthz and /pods (default " + DEFAULT_STATUS_PORT + ").",
              false),
          new Flag(
              "--control-socket",
              "PATH",
              "The unix socket restart requests come through; only the runner's user can use it"
                  + " (default: control/runner.sock in --state-dir).",
              false),
          new Flag(
              "--container-runtime",
              "RUNTIME",
              "process (host processes), docker, cri, or auto: a CRI socket (containerd, CRI-O),"
                  + " else Docker, else host processes (default "
                  + DEFAULT_RUNTIME
                  + ").",
              false),
          new Flag(
              "--container-runtime-endpoint",
              "URI",
              "The container runtime's socket (default: unix:///run/containerd/containerd.sock for"
                  + " cri, unix:///var/run/docker.sock for docker).",
              false),
          new Flag(
              "--bin-dir",
              "DIR",
              "Where the process runtime looks for executables before PATH (repeatable).",
              true),
          new Flag(
              "--file-check-frequency",
              "DURATION",
              "How often the manifest directory is listed again besides watching it (default "
                  + GoDuration.format(DEFAULT_FILE_CHECK_FREQUENCY)
                  + ").",
              false),
          new Flag(
              "--kubernetes-version",
              "VERSION",
              "Shown in probes' User-Agent kube-probe/<major>.<minor> (default "
                  + DEFAULT_KUBERNETES_VERSION
                  + ").",
              false),
          new Flag(
              "--kubeconfig",
              "FILE",
              "Show the static pods on this API server as read-only mirror pods and register the"
                  + " node. Without it, or while the API server is unreachable, pods run exactly"
                  + " the same.",
              false),
          new Flag(
              "--node-labels",
              "KEY=VALUE,...",
              "Labels the node is registered with, besides the kubelet's own (hostname, os,"
                  + " arch).",
              false),
          new Flag(
              "--register-with-taints",
              "KEY[=VALUE]:EFFECT,...",
              "Taints the node is registered with (effects NoSchedule, PreferNoSchedule,"
                  + " NoExecute).",
              false),
          new Flag(
              "--pod-cidr",
              "CIDR",
              "This node's pod CIDR (IPv4, IPv6, or one of each comma-separated): pods without"
                  + " hostNetwork get their IPs from it on kubeboot's bridge network, which wins"
                  + " over configs in --cni-conf-dir. Default: none, the first config in"
                  + " --cni-conf-dir is the pod network.",
              false),
          new Flag(
              "--cni-conf-dir",
              "DIR",
              "Where CNI network configs are looked for when no --pod-cidr is given (default "
                  + PodNetworkOptions.DEFAULT_CONF_DIR
                  + ").",
              false),
          new Flag(
              "--cni-bin-dir",
              "DIR",
              "Where CNI plugin binaries are looked for, in order (comma-separated or repeated;"
                  + " default /opt/cni/bin,/usr/lib/cni).",
              true),
          new Flag(
              "--pod-infra-container-image",
              "IMAGE",
              "The pause image of the docker runtime's pod sandboxes (default "
                  + DEFAULT_POD_INFRA_IMAGE
                  + ").",
              false),
          new Flag(
              "--metrics-bind-address",
              "HOST:PORT",
              "Serve /metrics (Prometheus text format) on a listener of its own (default: on the"
                  + " status port, next to /healthz and /pods).",
              false),
          new Flag(
              "--container-log-max-size",
              "QUANTITY",
              "Rotate a container's log once it is larger than this (default 10Mi, or the --config"
                  + " file's containerLogMaxSize).",
              false),
          new Flag(
              "--container-log-max-files",
              "N",
              "Keep at most this many log files per container, the one being written included, at"
                  + " least 2 (default 5, or the --config file's containerLogMaxFiles).",
              false),
          new Flag(
              "--cgroup-driver",
              "cgroupfs|systemd",
              "How the cri runtime's pod cgroups are named; must be containerd's own (runc option"
                  + " SystemdCgroup) (default cgroupfs, or the --config file's cgroupDriver).",
              false));

  /**
   * Reads runner flags ({@code --name=value} or {@code --name value}); what is not given takes its
   * default, the KubeletConfiguration of {@code --config} first where it says.
   *
   * @throws IllegalArgumentException an unknown flag, a missing or bad value, or an unreadable
   *     {@code --config} file: the message names the flag and the value
   */
  public static RunnerSpec fromArgs(List<String> args, HostDefaults host) {
    Map<String, List<String>> values = new LinkedHashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      Flag flag =
          FLAGS.stream()
              .filter(f -> f.name().equals(name))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "unknown runner flag " + name + ": see kubeboot runner --help"));
      String value;
      if (arg.contains("=")) {
        value = arg.substring(arg.indexOf('=') + 1);
      } else if (i + 1 < args.size()) {
        value = args.get(++i);
      } else {
        throw new IllegalArgumentException(name + " needs a value (" + flag.label() + ")");
      }
      List<String> list = values.computeIfAbsent(name, n -> new ArrayList<>());
      if (!flag.repeatable() && !list.isEmpty()) {
        throw new IllegalArgumentException(name + " is given twice");
      }
      list.add(value);
    }
    return new ArgReader(values).spec(host);
  }

  /** Turns the collected flag values into a spec, one flag at a time, naming a bad one. */
  private record ArgReader(Map<String, List<String>> values) {
    Optional<String> one(String flag) {
      return Optional.ofNullable(values.get(flag)).map(List::getFirst);
    }

    Path path(String flag, String value) {
      try {
        return Path.of(value);
      } catch (InvalidPathException e) {
        throw new IllegalArgumentException(
            flag + " " + value + " is not a valid path: " + e.getReason(), e);
      }
    }

    RunnerSpec spec(HostDefaults host) {
      Optional<KubeletConfigFile> kubelet =
          one("--config").map(f -> kubeletConfig(path("--config", f)));
      Path manifests =
          one("--pod-manifest-path")
              .map(v -> path("--pod-manifest-path", v))
              .or(() -> kubelet.flatMap(KubeletConfigFile::staticPodPath))
              .orElse(Path.of(DEFAULT_MANIFEST_PATH));
      Path state = path("--state-dir", one("--state-dir").orElse(DEFAULT_STATE_DIR));
      Builder b =
          builder(
              manifests,
              one("--node-name").orElseGet(host::nodeName),
              one("--node-ip").orElseGet(host::nodeIP),
              state);
      int port = one("--status-port").map(ArgReader::port).orElse(DEFAULT_STATUS_PORT);
      b.statusAddress(
          new InetSocketAddress(
              one("--status-bind-address").orElse(DEFAULT_STATUS_BIND_ADDRESS), port));
      one("--control-socket").ifPresent(v -> b.controlSocket(path("--control-socket", v)));
      one("--container-runtime").ifPresent(b::runtime);
      b.runtimeEndpoint(one("--container-runtime-endpoint"));
      b.binDirs(
          values.getOrDefault("--bin-dir", List.of()).stream()
              .map(v -> path("--bin-dir", v))
              .toList());
      Optional<Duration> frequency =
          one("--file-check-frequency")
              .map(ArgReader::duration)
              .or(() -> kubelet.flatMap(KubeletConfigFile::fileCheckFrequency));
      frequency.ifPresent(b::fileCheckFrequency);
      one("--kubernetes-version").ifPresent(b::kubernetesVersion);
      b.kubeconfig(one("--kubeconfig").map(v -> path("--kubeconfig", v)));
      one("--node-labels").ifPresent(v -> b.nodeLabels(labels(v)));
      one("--register-with-taints")
          .ifPresent(
              v ->
                  b.nodeTaints(
                      splitList(v).stream()
                          .map(
                              t -> {
                                try {
                                  return NodeTaint.parse(t);
                                } catch (IllegalArgumentException e) {
                                  throw new IllegalArgumentException(
                                      "--register-with-taints: " + e.getMessage(), e);
                                }
                              })
                          .toList()));
      List<Path> cniBinDirs =
          values.getOrDefault("--cni-bin-dir", List.of()).stream()
              .flatMap(v -> splitList(v).stream())
              .map(v -> path("--cni-bin-dir", v))
              .toList();
      b.network(
          PodNetworkOptions.of(
              one("--pod-cidr").orElse(null),
              one("--cni-conf-dir").map(v -> path("--cni-conf-dir", v)).orElse(null),
              cniBinDirs));
      one("--pod-infra-container-image").ifPresent(b::podInfraImage);
      one("--metrics-bind-address").ifPresent(v -> b.metricsAddress(Optional.of(hostPort(v))));
      long maxSize =
          one("--container-log-max-size")
              .map(ArgReader::logSize)
              .or(() -> kubelet.flatMap(KubeletConfigFile::containerLogMaxSize))
              .orElse(LogRotation.DEFAULT_MAX_SIZE);
      int maxFiles =
          one("--container-log-max-files")
              .map(ArgReader::logFiles)
              .or(() -> kubelet.flatMap(KubeletConfigFile::containerLogMaxFiles))
              .orElse(LogRotation.DEFAULT_MAX_FILES);
      String driver =
          one("--cgroup-driver")
              .or(() -> kubelet.flatMap(KubeletConfigFile::cgroupDriver))
              .orElse(CgroupDriver.CGROUPFS.value());
      try {
        b.cgroupDriver(CgroupDriver.parse(driver));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--cgroup-driver: " + e.getMessage(), e);
      }
      try {
        b.containerLogs(new LogRotation(maxSize, maxFiles));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "--container-log-max-size/--container-log-max-files: " + e.getMessage(), e);
      }
      return b.build();
    }

    private static KubeletConfigFile kubeletConfig(Path file) {
      try {
        return KubeletConfigFile.read(file);
      } catch (ManifestException e) {
        throw new IllegalArgumentException("--config " + file + ": " + e.getMessage(), e);
      }
    }

    private static int port(String value) {
      try {
        int port = Integer.parseInt(value);
        if (port < 0 || port > 65535) {
          throw new NumberFormatException();
        }
        return port;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "--status-port " + value + " is not a port: give a number from 0 to 65535", e);
      }
    }

    private static long logSize(String value) {
      try {
        return LogRotation.parseSize(value);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--container-log-max-size: " + e.getMessage(), e);
      }
    }

    private static int logFiles(String value) {
      try {
        return Integer.parseInt(value.strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "--container-log-max-files " + value + " is not a number: give a whole number >= 2", e);
      }
    }

    /** {@code host:port} or {@code [v6]:port}; the port may be 0 (a free one). */
    private static InetSocketAddress hostPort(String value) {
      int colon = value.lastIndexOf(':');
      String host = colon < 0 ? "" : value.substring(0, colon);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      int port;
      try {
        port = colon < 0 ? -1 : Integer.parseInt(value.substring(colon + 1));
      } catch (NumberFormatException e) {
        port = -1;
      }
      if (host.isEmpty() || port < 0 || port > 65535) {
        throw new IllegalArgumentException(
            "--metrics-bind-address "
                + value
                + " is not host:port: write it like 127.0.0.1:10249 (a port from 0 to 65535)");
      }
      return new InetSocketAddress(host, port);
    }

    private static Duration duration(String value) {
      return GoDuration.parse(value)
          .orElseThrow(
              () ->
                  new IllegalArgumentException(
                      "--file-check-frequency "
                          + value
                          + " is not a duration: write it like 20s or 1m"));
    }

    private static List<String> splitList(String value) {
      return List.of(value.split(",")).stream()
          .map(String::strip)
          .filter(s -> !s.isEmpty())
          .toList();
    }

    private static Map<String, String> labels(String value) {
      Map<String, String> labels = new TreeMap<>();
      for (String pair : splitList(value)) {
        int eq = pair.indexOf('=');
        if (eq <= 0) {
          throw new IllegalArgumentException(
              "--node-labels: \"" + pair + "\" is not key=value (an empty value is key=)");
        }
        labels.put(pair.substring(0, eq), pair.substring(eq + 1));
      }
      return labels;
    }
  }

  /** Builds a spec; every field not set keeps its default. */
  public static final class Builder {
    private final Path manifestPath;
    private final String nodeName;
    private final String nodeIP;
    private final Path stateDir;
    private InetSocketAddress statusAddress =
        new InetSocketAddress(DEFAULT_STATUS_BIND_ADDRESS, DEFAULT_STATUS_PORT);
    private Path controlSocket;
    private String runtime = DEFAULT_RUNTIME;
    private Optional<String> runtimeEndpoint = Optional.empty();
    private List<Path> binDirs = List.of();
    private Duration fileCheckFrequency = DEFAULT_FILE_CHECK_FREQUENCY;
    private String kubernetesVersion = DEFAULT_KUBERNETES_VERSION;
    private Optional<Path> kubeconfig = Optional.empty();
    private Map<String, String> nodeLabels = Map.of();
    private List<NodeTaint> nodeTaints = List.of();
    private PodNetworkOptions network = PodNetworkOptions.defaults();
    private String podInfraImage = DEFAULT_POD_INFRA_IMAGE;
    private Optional<InetSocketAddress> metricsAddress = Optional.empty();
    private LogRotation containerLogs = LogRotation.DEFAULT;
    private CgroupDriver cgroupDriver = CgroupDriver.CGROUPFS;

    private Builder(Path manifestPath, String nodeName, String nodeIP, Path stateDir) {
      this.manifestPath = manifestPath;
      this.nodeName = nodeName;
      this.nodeIP = nodeIP;
      this.stateDir = stateDir;
    }

    private Builder(RunnerSpec spec) {
      this(spec.manifestPath, spec.nodeName, spec.nodeIP, spec.stateDir);
      statusAddress = spec.statusAddress;
      controlSocket = spec.controlSocket;
      runtime = spec.runtime;
      runtimeEndpoint = spec.runtimeEndpoint;
      binDirs = spec.binDirs;
      fileCheckFrequency = spec.fileCheckFrequency;
      kubernetesVersion = spec.kubernetesVersion;
      kubeconfig = spec.kubeconfig;
      nodeLabels = spec.nodeLabels;
      nodeTaints = spec.nodeTaints;
      network = spec.network;
      podInfraImage = spec.podInfraImage;
      metricsAddress = spec.metricsAddress;
      containerLogs = spec.containerLogs;
      cgroupDriver = spec.cgroupDriver;
    }

    public Builder statusAddress(InetSocketAddress address) {
      statusAddress = address;
      return this;
    }

    /** On 127.0.0.1. */
    public Builder statusPort(int port) {
      return statusAddress(new InetSocketAddress(DEFAULT_STATUS_BIND_ADDRESS, port));
    }

    public Builder controlSocket(Path socket) {
      controlSocket = socket;
      return this;
    }

    public Builder runtime(String name) {
      runtime = name;
      return this;
    }

    public Builder runtimeEndpoint(Optional<String> endpoint) {
      runtimeEndpoint = endpoint;
      return this;
    }

    public Builder binDirs(List<Path> dirs) {
      binDirs = List.copyOf(dirs);
      return this;
    }

    public Builder fileCheckFrequency(Duration frequency) {
      fileCheckFrequency = frequency;
      return this;
    }

    public Builder kubernetesVersion(String version) {
      kubernetesVersion = version;
      return this;
    }

    public Builder kubeconfig(Optional<Path> file) {
      kubeconfig = file;
      return this;
    }

    public Builder nodeLabels(Map<String, String> labels) {
      nodeLabels = Map.copyOf(labels);
      return this;
    }

    public Builder nodeTaints(List<NodeTaint> taints) {
      nodeTaints = List.copyOf(taints);
      return this;
    }

    public Builder network(PodNetworkOptions options) {
      network = options;
      return this;
    }

    public Builder podInfraImage(String image) {
      podInfraImage = image;
      return this;
    }

    /** A listener of its own for /metrics; empty: served on the status endpoint. */
    public Builder metricsAddress(Optional<InetSocketAddress> address) {
      metricsAddress = address;
      return this;
    }

    public Builder containerLogs(LogRotation rotation) {
      containerLogs = rotation;
      return this;
    }

    public Builder cgroupDriver(CgroupDriver driver) {
      cgroupDriver = driver;
      return this;
    }

    /**
     * The KubeletConfiguration spelling.
     *
     * @throws IllegalArgumentException neither {@code cgroupfs} nor {@code systemd}
     */
    public Builder cgroupDriver(String driver) {
      return cgroupDriver(CgroupDriver.parse(driver));
    }

    /**
     * @throws IllegalArgumentException a field is invalid (named with its flag)
     */
    public RunnerSpec build() {
      return new RunnerSpec(
          manifestPath,
          nodeName,
          nodeIP,
          stateDir,
          statusAddress,
          controlSocket != null ? controlSocket : controlSocketIn(stateDir.toAbsolutePath()),
          runtime,
          runtimeEndpoint,
          binDirs,
          fileCheckFrequency,
          kubernetesVersion,
          kubeconfig,
          nodeLabels,
          nodeTaints,
          network,
          podInfraImage,
          metricsAddress,
          containerLogs,
          cgroupDriver);
    }
  }
}
