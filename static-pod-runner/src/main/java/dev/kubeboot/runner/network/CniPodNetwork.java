package dev.kubeboot.runner.network;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.kubeboot.runner.fs.AtomicWriter;
import dev.kubeboot.runner.pod.StaticPod;
import dev.kubeboot.runner.runtime.ContainerStartException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pod network for runtimes where kubeboot itself is the CNI runtime (Docker, host processes):
 * which network a pod joins, and attaching and detaching sandboxes with the plugins, recorded under
 * the state dir so that a later runner can CHECK and DEL what an earlier one made.
 *
 * <p>The network: with a pod CIDR, kubeboot's {@link BridgeNetwork}, written to {@code
 * <state>/cni/net.d} (and the node's {@link NodeFirewall} rules, once); without, the first valid
 * config in the CNI config dir, looked up again for every new sandbox so that a config installed
 * later is picked up without a restart. Either way every plugin the network names must be in a bin
 * dir, or the pod waits with reason {@value #NOT_READY} and a message that says what to install or
 * set.
 */
public final class CniPodNetwork {
  private static final Logger LOG = LoggerFactory.getLogger(CniPodNetwork.class);

  /** The kubelet's waiting reason while the node has no usable pod network. */
  public static final String NOT_READY = "NetworkPluginNotReady";

  /** The kubelet's error when a sandbox's network could not be set up. */
  public static final String SETUP_FAILED = "CreatePodSandboxError";

  /** The container side of the pod's interface, as the kubelet names it. */
  public static final String IF_NAME = "eth0";

  static final Duration PLUGIN_TIMEOUT = Duration.ofMinutes(2);

  private final PodNetworkOptions options;
  private final Path ownConfDir;
  private final Path records;
  private final CniNetwork cni;
  private final Object generateLock = new Object();
  private volatile NetworkConfigList generated;

  /**
   * @param stateDir the runtime's state dir: {@code cni/net.d} holds kubeboot's own network config,
   *     {@code cni/attachments} the attachment records
   */
  public CniPodNetwork(PodNetworkOptions options, Path stateDir) {
    this.options = options;
    this.ownConfDir = stateDir.resolve("cni").resolve("net.d");
    this.records = stateDir.resolve("cni").resolve("attachments");
    this.cni = new CniNetwork(new CniPlugins(options.binDirs(), PLUGIN_TIMEOUT));
  }

  public PodNetworkOptions options() {
    return options;
  }

  /**
   * The network new sandboxes join.
   *
   * @throws ContainerStartException reason {@value #NOT_READY}: no config, or plugins missing
   */
  public NetworkConfigList network() throws ContainerStartException, InterruptedException {
    NetworkConfigList net = options.podCidrs().isEmpty() ? found() : generated();
    List<String> missing = cni.plugins().missing(net.binaries());
    if (!missing.isEmpty()) {
      throw new ContainerStartException(
          NOT_READY,
          "network plugin not ready: CNI plugin"
              + (missing.size() > 1 ? "s " : " ")
              + String.join(", ", missing)
              + " of network \""
              + net.name()
              + "\" ("
              + net.source()
              + ") not found in "
              + dirs()
              + ": install them (Debian: apt-get install containernetworking-plugins) or pass"
              + " --cni-bin-dir");
    }
    return net;
  }

  private String dirs() {
    return options.binDirs().stream().map(Path::toString).collect(Collectors.joining(", "));
  }

  private NetworkConfigList found() throws ContainerStartException {
    CniConfigDir.Scan scan;
    try {
      scan = CniConfigDir.scan(options.confDir());
    } catch (IOException e) {
      throw new ContainerStartException(
          NOT_READY,
          "network plugin not ready: cannot read the CNI config dir "
              + options.confDir()
              + ": "
              + e.getMessage());
    }
    scan.invalid().forEach(e -> LOG.warn("{}; passed over", e.getMessage()));
    if (scan.network().isPresent()) {
      return scan.network().get();
    }
    String why =
        scan.invalid().isEmpty()
            ? "no CNI config in " + options.confDir()
            : "no usable CNI config in "
                + options.confDir()
                + " ("
                + scan.invalid().stream()
                    .map(CniConfigException::getMessage)
                    .collect(Collectors.joining("; "))
                + ")";
    throw new ContainerStartException(
        NOT_READY,
        "network plugin not ready: no pod CIDR is set and "
            + why
            + ": pass --pod-cidr to the runner (kubeboot init: set networking.podSubnet), or put a"
            + " CNI network config in "
            + options.confDir()
            + " (--cni-conf-dir); hostNetwork pods run regardless");
  }

  /** kubeboot's own network for the pod CIDR: written and the node's rules set once. */
  private NetworkConfigList generated() throws ContainerStartException, InterruptedException {
    NetworkConfigList net = generated;
    if (net != null) {
      return net;
    }
    synchronized (generateLock) {
      if (generated != null) {
        return generated;
      }
      List<String> missing = cni.plugins().missing(List.of("bridge", "host-local", "portmap"));
      if (!missing.isEmpty()) {
        throw new ContainerStartException(
            NOT_READY,
            "network plugin not ready: CNI plugin"
                + (missing.size() > 1 ? "s " : " ")
                + String.join(", ", missing)
                + " not found in "
                + dirs()
                + ": install them (Debian: apt-get install containernetworking-plugins) or pass"
                + " --cni-bin-dir");
      }
      try {
        String text = BridgeNetwork.conflist(options.podCidrs(), version(cni.plugins()));
        Path file = BridgeNetwork.write(ownConfDir, text);
        NodeFirewall.ensure(options.podCidrs());
        generated = NetworkConfigList.parse(file, text);
        LOG.info(
            "pod network: bridge {} on {} ({})",
            BridgeNetwork.BRIDGE,
            options.podCidrs().stream().map(Cidr::toString).collect(Collectors.joining(",")),
            file);
        return generated;
      } catch (IOException | CniConfigException e) {
        throw new ContainerStartException(
            NOT_READY,
            "network plugin not ready: cannot set up the pod network: " + e.getMessage());
      }
    }
  }

  /**
   * The spec version kubeboot's config uses: 1.0.0 when the installed bridge plugin speaks it (CNI
   * plugins 1.0 and later), else 0.4.0.
   */
  static String version(CniPlugins plugins) throws InterruptedException {
    try {
      String out =
          plugins.exec(
              "bridge",
              "VERSION",
              new CniPlugins.Call("", "", "", ""),
              Map.of("cniVersion", "0.4.0"));
      Object supported = JSON.std.mapFrom(out).get("supportedVersions");
      if (supported instanceof List<?> versions && versions.contains("1.0.0")) {
        return "1.0.0";
      }
    } catch (CniException | IOException e) {
      LOG.debug("bridge VERSION: {}", e.getMessage());
    }
    return "0.4.0";
  }

  /**
   * Attaches a sandbox to the network: loopback up, then the network's ADD. The attempt is recorded
   * first, so that even a runner killed halfway leaves what DEL needs.
   *
   * @param containerId the sandbox's id
   * @param netns the path of its network namespace
   * @return the record, with ADD's result
   * @throws ContainerStartException {@value #NOT_READY}, or {@value #SETUP_FAILED} when a plugin
   *     failed (what was made is deleted again)
   */
  public Attachment attach(StaticPod pod, String containerId, String netns)
      throws ContainerStartException, InterruptedException {
    NetworkConfigList net = network();
    if (isHostNamespace(netns)) {
      throw new ContainerStartException(
          SETUP_FAILED,
          "refusing to attach pod "
              + pod.key()
              + " to the pod network: its namespace "
              + netns
              + " is the node's own");
    }
    String args =
        CniPlugins.args(
            List.of(
                Map.entry("IgnoreUnknown", "1"),
                Map.entry("K8S_POD_NAMESPACE", pod.key().namespace()),
                Map.entry("K8S_POD_NAME", pod.key().name()),
                Map.entry("K8S_POD_INFRA_CONTAINER_ID", containerId),
                Map.entry("K8S_POD_UID", pod.uid())));
    Attachment pending =
        new Attachment(
            containerId,
            pod.key(),
            pod.uid(),
            netns,
            IF_NAME,
            net,
            Optional.empty(),
            PortMapping.of(pod),
            args);
    try {
      save(pending);
    } catch (IOException e) {
      throw new ContainerStartException(
          SETUP_FAILED,
          "cannot record the network attachment of pod " + pod.key() + ": " + e.getMessage(),
          e);
    }
    // The loopback plugin only brings "lo" up, which the network's plugins never touch: its ADD
    // runs beside theirs (one plugin process less on the pod's path to running).
    FutureTask<Void> loopback =
        new FutureTask<>(
            () -> {
              cni.addLoopback(pending.runtime().call());
              return null;
            });
    Thread.ofVirtual().name("cni-loopback-" + pod.key().name()).start(loopback);
    try {
      CniResult result;
      try {
        result = cni.add(net, pending.runtime());
      } finally {
        awaitLoopback(loopback);
      }
      Attachment done = pending.withResult(result);
      save(done);
      return done;
    } catch (CniException | IOException e) {
      LOG.warn("network of pod {} ({}): {}; removing what was made", pod.key(), containerId, e);
      detach(pending, true);
      throw new ContainerStartException(
          SETUP_FAILED,
          "failed to set up the network of pod "
              + pod.key()
              + " (network \""
              + net.name()
              + "\", "
              + net.source()
              + "): "
              + e.getMessage(),
          e);
    }
  }

  /** Waits for the loopback ADD; its failure is the attachment's. */
  private static void awaitLoopback(FutureTask<Void> loopback)
      throws CniException, InterruptedException {
    try {
      loopback.get();
    } catch (ExecutionException e) {
      switch (e.getCause()) {
        case CniException c -> throw c;
        case InterruptedException i -> throw i;
        case RuntimeException r -> throw r;
        case Error err -> throw err;
        default -> throw new IllegalStateException(e.getCause());
      }
    }
  }

  /** The record of a sandbox's attachment, if it has one. */
  public Optional<Attachment> find(String containerId) {
    Path file = recordFile(containerId);
    try {
      return Optional.of(Attachment.parse(Files.readString(file, StandardCharsets.UTF_8)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | IllegalArgumentException e) {
      LOG.warn("unreadable CNI attachment record {}: {}", file, e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * CHECK of an adopted sandbox's attachment.
   *
   * @throws CniException a plugin found it broken (or there is no result to check against)
   */
  public void check(Attachment a) throws CniException, InterruptedException {
    if (a.result().isEmpty()) {
      throw new CniException(3, "the attachment of " + a.containerId() + " never completed ADD");
    }
    cni.check(a.network(), a.runtime(), a.result().get());
  }

  /**
   * DEL of a sandbox's attachment, with the config and result ADD had; the record goes once DEL
   * succeeded (a failed one is kept, and tried again by the next runner's clean-up).
   *
   * @param namespaceAlive the caller knows the sandbox still holds the namespace at the recorded
   *     path; otherwise DEL gets no namespace (the spec's way to say it is gone) and only releases
   *     the IP and host-side state. A path such as {@code /proc/<pid>/ns/net} may meanwhile name
   *     another process's namespace, and DEL there would delete that one's interface.
   * @return whether the attachment is gone
   */
  public boolean detach(Attachment a, boolean namespaceAlive) throws InterruptedException {
    Attachment target = namespaceAlive && !isHostNamespace(a.netns()) ? a : a.withoutNetns();
    try {
      cni.del(target.network(), target.runtime(), target.result());
    } catch (CniException e) {
      LOG.warn(
          "CNI DEL of pod {} ({}) failed: {}; kept for the next try",
          a.pod(),
          a.containerId(),
          e.getMessage());
      return false;
    }
    try {
      Files.deleteIfExists(recordFile(a.containerId()));
    } catch (IOException e) {
      LOG.warn("cannot remove {}: {}", recordFile(a.containerId()), e.getMessage());
    }
    return true;
  }

  /**
   * Whether {@code netns} is the runner's own network namespace (a sandbox must never be given that
   * one): compared by the kernel's namespace identity (device and inode of the nsfs file, as {@code
   * stat -L} shows them), so a bind mount of the host's namespace is caught too.
   */
  static boolean isHostNamespace(String netns) {
    if (netns.isEmpty()) {
      return false;
    }
    try {
      Path self = Path.of("/proc/self/ns/net");
      Path other = Path.of(netns);
      return Files.getAttribute(other, "unix:ino").equals(Files.getAttribute(self, "unix:ino"))
          && Files.getAttribute(other, "unix:dev").equals(Files.getAttribute(self, "unix:dev"));
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      // Gone or unreadable: not one a plugin could enter either.
      return false;
    }
  }

  /** Every recorded attachment (for clean-up at start). */
  public List<Attachment> attachments() {
    List<Attachment> all = new ArrayList<>();
    try (Stream<Path> files = Files.list(records)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        String name = f.getFileName().toString();
        find(name.substring(0, name.length() - ".json".length())).ifPresent(all::add);
      }
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      LOG.warn("cannot list {}: {}", records, e.getMessage());
    }
    return all;
  }

  private void save(Attachment a) throws IOException {
    Files.createDirectories(records);
    AtomicWriter.write(
        recordFile(a.containerId()),
        a.toJson().getBytes(StandardCharsets.UTF_8),
        PosixFilePermissions.fromString("rw-------"),
        AtomicWriter.Durability.UNSYNCED);
  }

  private Path recordFile(String containerId) {
    if (!containerId.matches("[A-Za-z0-9_.\\-]+")) {
      throw new IllegalArgumentException("container id \"" + containerId + "\"");
    }
    return records.resolve(containerId + ".json");
  }
}
