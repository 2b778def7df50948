package dev.kubeboot.runner.runtime.cri;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.kubeboot.runner.network.BridgeNetwork;
import dev.kubeboot.runner.network.Cidr;
import dev.kubeboot.runner.network.CniPlugins;
import dev.kubeboot.runner.network.CniPodNetwork;
import dev.kubeboot.runner.network.NodeFirewall;
import dev.kubeboot.runner.network.PodNetworkOptions;
import dev.kubeboot.runner.runtime.ContainerStartException;
import dev.kubeboot.runner.runtime.cri.v1.Cri;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pod network of a CRI runtime, which runs CNI itself (containerd's CRI plugin, CRI-O): is it
 * ready (the runtime's NetworkReady condition, as the kubelet asks it), and, when kubeboot has a
 * pod CIDR, kubeboot's bridge network written into the runtime's CNI config dir (where the runtime
 * takes the first config in name order, which kubeboot's sorts as) and the node's firewall rules
 * set. The runtime's CNI dirs come from its verbose Status (containerd reports its configuration
 * there); the kubelet's defaults when it does not say.
 */
final class CriPodNetwork {
  private static final Logger LOG = LoggerFactory.getLogger(CriPodNetwork.class);

  /** How long a runtime may take to load a config kubeboot has just written. */
  static final Duration RELOAD_WAIT = Duration.ofSeconds(10);

  private static final Duration POLL = Duration.ofMillis(50);

  private final CriClient client;
  private final PodNetworkOptions options;
  private final Object writeLock = new Object();
  private volatile boolean written;

  /** Where the runtime reads CNI configs and plugins, and which plugins its network uses. */
  record RuntimeCni(Path confDir, List<Path> binDirs, Set<String> pluginTypes) {}

  CriPodNetwork(CriClient client, PodNetworkOptions options) {
    this.client = client;
    this.options = options;
  }

  /**
   * Returns once the runtime's pod network is ready for a new sandbox.
   *
   * @throws ContainerStartException {@value CniPodNetwork#NOT_READY}, saying what to set or install
   */
  void awaitReady() throws ContainerStartException, InterruptedException {
    Cri.StatusResponse status = status();
    RuntimeCni cni = runtimeCni(status.getInfoMap());
    boolean justWritten = !options.podCidrs().isEmpty() && writeOwnConfig(cni);
    if (justWritten) {
      long deadline = System.nanoTime() + RELOAD_WAIT.toNanos();
      while (!networkCondition(status).map(Cri.RuntimeCondition::getStatus).orElse(true)
          && System.nanoTime() < deadline) {
        Thread.sleep(POLL);
        status = status();
      }
      cni = runtimeCni(status.getInfoMap());
    }
    Optional<Cri.RuntimeCondition> network = networkCondition(status);
    if (network.isPresent() && !network.get().getStatus()) {
      throw new ContainerStartException(
          CniPodNetwork.NOT_READY,
          "container runtime network not ready: NetworkReady=false reason:"
              + network.get().getReason()
              + " message:"
              + network.get().getMessage()
              + "; "
              + (options.podCidrs().isEmpty()
                  ? "no pod CIDR is set: pass --pod-cidr to the runner (kubeboot init: set"
                      + " networking.podSubnet), or put a CNI network config in "
                      + cni.confDir()
                      + " (the runtime's CNI conf dir)"
                  : "kubeboot's network is in "
                      + cni.confDir().resolve(BridgeNetwork.FILE_NAME)
                      + ": see the runtime's log"));
    }
    Set<String> types = new LinkedHashSet<>(cni.pluginTypes());
    if (!options.podCidrs().isEmpty()) {
      types.addAll(List.of("bridge", "host-local", "portmap"));
    }
    if (!types.isEmpty()) {
      types.add("loopback");
    }
    List<String> missing = new CniPlugins(cni.binDirs(), Duration.ofSeconds(1)).missing(types);
    if (!missing.isEmpty()) {
      throw new ContainerStartException(
          CniPodNetwork.NOT_READY,
          "network plugin not ready: CNI plugin"
              + (missing.size() > 1 ? "s " : " ")
              + String.join(", ", missing)
              + " not found in the runtime's CNI bin dir "
              + cni.binDirs().stream().map(Path::toString).collect(Collectors.joining(", "))
              + ": install them (Debian: apt-get install containernetworking-plugins) or set the"
              + " runtime's CNI bin_dir to where they are (Debian: /usr/lib/cni)");
    }
  }

  private Cri.StatusResponse status() throws ContainerStartException {
    try {
      return client.runtime().status(Cri.StatusRequest.newBuilder().setVerbose(true).build());
    } catch (StatusRuntimeException e) {
      throw new ContainerStartException(
          CniPodNetwork.NOT_READY,
          "cannot ask the container runtime for its network status: " + CriClient.message(e),
          e);
    }
  }

  private static Optional<Cri.RuntimeCondition> networkCondition(Cri.StatusResponse status) {
    return status.getStatus().getConditionsList().stream()
        .filter(c -> c.getType().equals("NetworkReady"))
        .findFirst();
  }

  /**
   * Writes kubeboot's network into the runtime's conf dir once per runner (again when the file
   * differs), and sets the node's rules.
   *
   * @return whether the file was new or changed
   */
  private boolean writeOwnConfig(RuntimeCni cni) throws ContainerStartException {
    if (written) {
      return false;
    }
    synchronized (writeLock) {
      if (written) {
        return false;
      }
      try {
        Path file = cni.confDir().resolve(BridgeNetwork.FILE_NAME);
        String before =
            java.nio.file.Files.exists(file) ? java.nio.file.Files.readString(file) : "";
        String text = BridgeNetwork.conflist(options.podCidrs(), "1.0.0");
        BridgeNetwork.write(cni.confDir(), text);
        NodeFirewall.ensure(options.podCidrs());
        written = true;
        LOG.info(
            "pod network: bridge {} on {} ({}, read by the container runtime)",
            BridgeNetwork.BRIDGE,
            options.podCidrs().stream().map(Cidr::toString).collect(Collectors.joining(",")),
            file);
        return !before.equals(text);
      } catch (IOException e) {
        throw new ContainerStartException(
            CniPodNetwork.NOT_READY,
            "network plugin not ready: cannot write kubeboot's pod network into the runtime's CNI"
                + " conf dir "
                + cni.confDir()
                + ": "
                + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ContainerStartException(CniPodNetwork.NOT_READY, "interrupted", e);
      }
    }
  }

  /**
   * The runtime's CNI dirs and its loaded network's plugins from Status' info: containerd reports
   * its configuration as JSON under "config" ({@code cni.confDir}, {@code cni.binDir}) and the
   * loaded networks under "cniconfig"; the kubelet's defaults when a runtime says nothing.
   */
  static RuntimeCni runtimeCni(Map<String, String> info) {
    Path confDir = Path.of(PodNetworkOptions.DEFAULT_CONF_DIR);
    List<Path> binDirs = List.of(Path.of("/opt/cni/bin"));
    Set<String> types = new LinkedHashSet<>();
    try {
      if (info.containsKey("config")
          && JSON.std.mapFrom(info.get("config")).get("cni") instanceof Map<?, ?> c) {
        if (c.get("confDir") instanceof String d && !d.isEmpty()) {
          confDir = Path.of(d);
        }
        if (c.get("binDir") instanceof String b && !b.isEmpty()) {
          List<Path> dirs = new ArrayList<>();
          for (String part : b.split(",")) {
            dirs.add(Path.of(part.strip()));
          }
          binDirs = dirs;
        }
      }
      if (info.containsKey("cniconfig")
          && JSON.std.mapFrom(info.get("cniconfig")).get("Networks") instanceof List<?> nets) {
        for (Object n : nets) {
          if (n instanceof Map<?, ?> net
              && net.get("Config") instanceof Map<?, ?> config
              && !"cni-loopback".equals(config.get("Name"))
              && config.get("Plugins") instanceof List<?> plugins) {
            for (Object p : plugins) {
              if (p instanceof Map<?, ?> plugin
                  && plugin.get("Network") instanceof Map<?, ?> conf
                  && conf.get("type") instanceof String t) {
                types.add(t);
                if (conf.get("ipam") instanceof Map<?, ?> ipam
                    && ipam.get("type") instanceof String it
                    && !it.isEmpty()) {
                  types.add(it);
                }
              }
            }
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.debug("cannot read the runtime's CNI settings from its status: {}", e.toString());
    }
    return new RuntimeCni(confDir, binDirs, types);
  }
}
