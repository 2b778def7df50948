package dev.kubeboot.runner.network;

import dev.kubeboot.runner.fs.AtomicWriter;
import dev.kubeboot.runner.pod.StaticPod;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Objects;

/**
 * Writes the {@code etc-hosts} and {@code resolv.conf} a pod with its own network mounts over its
 * containers' {@code /etc/hosts} and {@code /etc/resolv.conf}, in the pod's directory (the
 * kubelet's {@code /var/lib/kubelet/pods/<uid>/etc-hosts}).
 */
public final class PodHostFiles {
  /** The kubelet's default {@code --resolv-conf}. */
  public static final Path HOST_RESOLV_CONF = Path.of("/etc/resolv.conf");

  private static final java.util.Set<java.nio.file.attribute.PosixFilePermission> MODE =
      PosixFilePermissions.fromString("rw-r--r--");

  private final Path hostResolvConf;

  /** The two files of one pod. */
  public record Written(Path hosts, Path resolvConf) {}

  /**
   * @param hostResolvConf the node's resolv.conf, the base of pods' resolver settings
   */
  public PodHostFiles(Path hostResolvConf) {
    this.hostResolvConf = Objects.requireNonNull(hostResolvConf, "hostResolvConf");
  }

  /** The pod's resolver settings (for a CRI runtime, which writes resolv.conf itself). */
  public PodDns dns(StaticPod pod) throws IOException {
    String host;
    try {
      host = Files.readString(hostResolvConf, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      host = "";
    }
    return PodDns.of(pod, host);
  }

  /** Writes {@code <podDir>/etc-hosts} (with the pod's IPs) and {@code <podDir>/resolv.conf}. */
  public Written write(Path podDir, StaticPod pod, List<String> podIPs) throws IOException {
    Path hosts = writeHosts(podDir, pod, podIPs);
    Path resolv = podDir.resolve("resolv.conf");
    AtomicWriter.write(
        resolv,
        dns(pod).render().getBytes(StandardCharsets.UTF_8),
        MODE,
        AtomicWriter.Durability.UNSYNCED);
    return new Written(hosts, resolv);
  }

  /**
   * Writes only {@code <podDir>/etc-hosts}: for a CRI runtime, which writes resolv.conf from the
   * sandbox's DNS settings itself.
   */
  public Path writeHosts(Path podDir, StaticPod pod, List<String> podIPs) throws IOException {
    Files.createDirectories(podDir);
    Path hosts = podDir.resolve("etc-hosts");
    AtomicWriter.write(
        hosts,
        EtcHosts.content(pod, podIPs).getBytes(StandardCharsets.UTF_8),
        MODE,
        AtomicWriter.Durability.UNSYNCED);
    return hosts;
  }
}
