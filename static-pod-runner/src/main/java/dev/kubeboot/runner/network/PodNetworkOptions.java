package dev.kubeboot.runner.network;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where pods without hostNetwork get their network from: the kubelet's {@code --pod-cidr}, {@code
 * --cni-conf-dir} and {@code --cni-bin-dir}.
 *
 * @param podCidrs this node's pod CIDR (one per family): kubeboot then writes its own bridge
 *     network for it, which wins over any config found in {@code confDir}; empty: the first valid
 *     config in {@code confDir} is the pod network
 * @param confDir where other tools' CNI configs are looked for (default {@value #DEFAULT_CONF_DIR})
 * @param binDirs where plugin binaries are looked for, in order (default /opt/cni/bin, then
 *     /usr/lib/cni where Debian puts them)
 */
public record PodNetworkOptions(List<Cidr> podCidrs, Path confDir, List<Path> binDirs) {
  public static final String DEFAULT_CONF_DIR = "/etc/cni/net.d";
  public static final List<Path> DEFAULT_BIN_DIRS =
      List.of(Path.of("/opt/cni/bin"), Path.of("/usr/lib/cni"));

  public PodNetworkOptions {
    podCidrs = List.copyOf(podCidrs);
    Objects.requireNonNull(confDir, "confDir");
    binDirs = List.copyOf(binDirs);
    if (binDirs.isEmpty()) {
      throw new IllegalArgumentException("CNI bin dirs: give at least one directory");
    }
  }

  /** No pod CIDR, the kubelet's default directories. */
  public static PodNetworkOptions defaults() {
    return new PodNetworkOptions(List.of(), Path.of(DEFAULT_CONF_DIR), DEFAULT_BIN_DIRS);
  }

  /**
   * Settings from flag values as given (null or empty: the default).
   *
   * @throws IllegalArgumentException a pod CIDR that does not parse, naming the flag
   */
  public static PodNetworkOptions of(String podCidr, Path confDir, List<Path> binDirs) {
    List<Cidr> cidrs = List.of();
    if (podCidr != null && !podCidr.isBlank()) {
      try {
        cidrs = Cidr.parseList(podCidr);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--pod-cidr " + e.getMessage(), e);
      }
    }
    return new PodNetworkOptions(
        cidrs,
        Optional.ofNullable(confDir).orElse(Path.of(DEFAULT_CONF_DIR)),
        binDirs == null || binDirs.isEmpty() ? DEFAULT_BIN_DIRS : binDirs);
  }

  public PodNetworkOptions withPodCidrs(List<Cidr> cidrs) {
    return new PodNetworkOptions(cidrs, confDir, binDirs);
  }

  public PodNetworkOptions withConfDir(Path dir) {
    return new PodNetworkOptions(podCidrs, dir, binDirs);
  }

  public PodNetworkOptions withBinDirs(List<Path> dirs) {
    return new PodNetworkOptions(podCidrs, confDir, dirs);
  }
}
