package dev.kubeboot.runner.network;

import dev.kubeboot.runner.pod.NameResolution;
import dev.kubeboot.runner.pod.StaticPod;
import java.util.List;

/**
 * The {@code /etc/hosts} the kubelet gives the containers of a pod with its own network: the
 * localhost entries, the pod's IPs under its host name, then the pod's {@code hostAliases}.
 */
public final class EtcHosts {
  static final String HEADER = "# Kubernetes-managed hosts file.\n";

  /** The longest host name the kernel takes. */
  static final int MAX_HOSTNAME = 63;

  private EtcHosts() {}

  /**
   * The pod's host name: {@code spec.hostname}, else the pod's name, cut to 63 characters without a
   * trailing '-' or '.'.
   */
  public static String hostname(StaticPod pod) {
    String name = pod.spec().names().hostname().orElse(pod.key().name());
    if (name.length() <= MAX_HOSTNAME) {
      return name;
    }
    String cut = name.substring(0, MAX_HOSTNAME);
    while (cut.endsWith("-") || cut.endsWith(".")) {
      cut = cut.substring(0, cut.length() - 1);
    }
    return cut;
  }

  /**
   * The file's content. No cluster domain is known to the runner, so a {@code subdomain} adds no
   * fully qualified name, as on a kubelet without {@code clusterDomain}.
   */
  public static String content(StaticPod pod, List<String> podIPs) {
    StringBuilder b = new StringBuilder(HEADER);
    b.append("127.0.0.1\tlocalhost\n");
    b.append("::1\tlocalhost ip6-localhost ip6-loopback\n");
    b.append("fe00::0\tip6-localnet\n");
    b.append("fe00::0\tip6-mcastprefix\n");
    b.append("fe00::1\tip6-allnodes\n");
    b.append("fe00::2\tip6-allrouters\n");
    String hostname = hostname(pod);
    podIPs.forEach(ip -> b.append(ip).append('\t').append(hostname).append('\n'));
    List<NameResolution.HostAlias> aliases = pod.spec().names().hostAliases();
    if (!aliases.isEmpty()) {
      b.append("\n# Entries added by HostAliases.\n");
      for (NameResolution.HostAlias alias : aliases) {
        b.append(alias.ip()).append('\t').append(String.join("\t", alias.hostnames())).append('\n');
      }
    }
    return b.toString();
  }
}
