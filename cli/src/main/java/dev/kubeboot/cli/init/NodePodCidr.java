package dev.kubeboot.cli.init;

import dev.kubeboot.runner.network.Cidr;
import java.util.List;
import java.util.stream.Collectors;

/**
 * This node's slice of the cluster's pod CIDR ({@code networking.podSubnet}): what
 * kube-controller-manager's node IPAM gives the first node, the first /24 of an IPv4 and the first
 * /64 of an IPv6 subnet ({@code --node-cidr-mask-size-ipv4/ipv6} defaults); a subnet already that
 * small is the slice itself.
 */
public final class NodePodCidr {
  static final int IPV4_NODE_MASK = 24;
  static final int IPV6_NODE_MASK = 64;

  private NodePodCidr() {}

  /**
   * @param podSubnet one CIDR or a dual-stack pair, comma-separated
   * @return the slices, comma-separated in the same order
   * @throws IllegalArgumentException podSubnet is not such a list
   */
  public static String of(String podSubnet) {
    List<Cidr> cidrs = Cidr.parseList(podSubnet);
    return cidrs.stream()
        .map(c -> c.firstSubnet(c.isIpv4() ? IPV4_NODE_MASK : IPV6_NODE_MASK).toString())
        .collect(Collectors.joining(","));
  }
}
