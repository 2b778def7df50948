package dev.kubeboot.runner.pod;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a pod's {@code /etc/hosts}, host name and {@code resolv.conf} are made from: {@code
 * spec.hostname}, {@code spec.subdomain}, {@code spec.hostAliases}, {@code spec.dnsPolicy} and
 * {@code spec.dnsConfig}.
 *
 * @param dnsPolicy ClusterFirst (the default), ClusterFirstWithHostNet, Default or None
 */
public record NameResolution(
    String dnsPolicy,
    Optional<String> hostname,
    Optional<String> subdomain,
    List<HostAlias> hostAliases,
    Optional<DnsConfig> dnsConfig) {
  /** A pod that sets none of these fields. */
  public static final NameResolution DEFAULT =
      new NameResolution(
          "ClusterFirst", Optional.empty(), Optional.empty(), List.of(), Optional.empty());

  public NameResolution {
    Objects.requireNonNull(dnsPolicy, "dnsPolicy");
    Objects.requireNonNull(hostname, "hostname");
    Objects.requireNonNull(subdomain, "subdomain");
    hostAliases = List.copyOf(hostAliases);
    Objects.requireNonNull(dnsConfig, "dnsConfig");
  }

  /** One {@code hostAliases} entry: an IP and the names {@code /etc/hosts} gives it. */
  public record HostAlias(String ip, List<String> hostnames) {
    public HostAlias {
      Objects.requireNonNull(ip, "ip");
      hostnames = List.copyOf(hostnames);
    }
  }

  /** {@code spec.dnsConfig}: merged into (or, under dnsPolicy None, making) resolv.conf. */
  public record DnsConfig(
      List<String> nameservers, List<String> searches, List<DnsOption> options) {
    public DnsConfig {
      nameservers = List.copyOf(nameservers);
      searches = List.copyOf(searches);
      options = List.copyOf(options);
    }
  }

  /** A resolv.conf option such as {@code ndots:2} (name "ndots", value "2") or {@code edns0}. */
  public record DnsOption(String name, Optional<String> value) {
    public DnsOption {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
      return value.map(v -> name + ":" + v).orElse(name);
    }
  }
}
