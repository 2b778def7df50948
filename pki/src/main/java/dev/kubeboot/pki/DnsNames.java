package dev.kubeboot.pki;

import java.util.regex.Pattern;

/**
 * Kubernetes' RFC 1123 name checks ({@code validation.IsDNS1123Subdomain} and {@code
 * IsWildcardDNS1123Subdomain}), which kubeadm applies to SANs, node names and endpoints.
 */
public final class DnsNames {
  private static final int MAX_SUBDOMAIN_LENGTH = 253;
  private static final Pattern SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern WILDCARD_SUBDOMAIN =
      Pattern.compile("\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private DnsNames() {}

  /** A lower-case RFC 1123 subdomain of at most 253 characters, such as {@code node-1.lan}. */
  public static boolean isSubdomain(String text) {
    return text.length() <= MAX_SUBDOMAIN_LENGTH && SUBDOMAIN.matcher(text).matches();
  }

  /** {@code *.example.com}: a wildcard in front of a subdomain. */
  public static boolean isWildcardSubdomain(String text) {
    return text.length() <= MAX_SUBDOMAIN_LENGTH && WILDCARD_SUBDOMAIN.matcher(text).matches();
  }
}
