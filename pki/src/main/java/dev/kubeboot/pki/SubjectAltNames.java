package dev.kubeboot.pki;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * DNS and IP subject alternative names as kubeadm's {@code RemoveDuplicateAltNames} leaves them:
 * DNS names without duplicates and sorted, IP addresses without duplicates in first-seen order.
 */
public record SubjectAltNames(List<String> dnsNames, List<InetAddress> ipAddresses) {
  public SubjectAltNames {
    dnsNames = List.copyOf(new TreeSet<>(Objects.requireNonNull(dnsNames, "dnsNames")));
    ipAddresses =
        List.copyOf(new LinkedHashSet<>(Objects.requireNonNull(ipAddresses, "ipAddresses")));
  }

  public static SubjectAltNames none() {
    return new SubjectAltNames(List.of(), List.of());
  }

  public static SubjectAltNames dns(String... names) {
    return new SubjectAltNames(List.of(names), List.of());
  }

  /**
   * Reads SAN entries as kubeadm reads {@code certSANs}: an IP literal (IPv4 or IPv6, never
   * resolved) becomes an IP SAN; an RFC 1123 subdomain or a wildcard such as {@code *.example.com}
   * a DNS SAN; anything else is left out and reported to {@code warnings}.
   */
  public static SubjectAltNames parse(Collection<String> entries, Consumer<String> warnings) {
    List<String> dns = new ArrayList<>();
    List<InetAddress> ips = new ArrayList<>();
    for (String entry : entries) {
      Optional<InetAddress> ip = IpLiterals.parse(entry);
      if (ip.isPresent()) {
        ips.add(ip.get());
      } else if (isDnsName(entry)) {
        dns.add(entry);
      } else {
        warnings.accept(
            "'"
                + entry
                + "' is neither an IP address nor an RFC 1123 DNS name (wildcards like"
                + " *.example.com allowed): left out of the certificate's SANs");
      }
    }
    return new SubjectAltNames(dns, ips);
  }

  /** Whether kubeadm accepts the text as a DNS SAN: an RFC 1123 subdomain or a wildcard one. */
  public static boolean isDnsName(String text) {
    return text != null && (DnsNames.isSubdomain(text) || DnsNames.isWildcardSubdomain(text));
  }

  /** These names followed by the other's, duplicates dropped. */
  public SubjectAltNames plus(SubjectAltNames other) {
    List<String> dns = new ArrayList<>(dnsNames);
    dns.addAll(other.dnsNames);
    List<InetAddress> ips = new ArrayList<>(ipAddresses);
    ips.addAll(other.ipAddresses);
    return new SubjectAltNames(dns, ips);
  }

  public boolean isEmpty() {
    return dnsNames.isEmpty() && ipAddresses.isEmpty();
  }
}
