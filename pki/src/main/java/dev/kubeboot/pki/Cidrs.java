package dev.kubeboot.pki;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Addresses inside a CIDR, as kubeadm computes the service and DNS IPs. */
public final class Cidrs {
  private Cidrs() {}

  /**
   * True when the text is one CIDR ({@code 10.96.0.0/12}, {@code fd00::/108}) as Go's {@code
   * net.ParseCIDR} reads it: an IP literal, a slash, and a decimal prefix no longer than the
   * address.
   */
  public static boolean isCidr(String text) {
    int slash = text == null ? -1 : text.indexOf('/');
    if (slash < 0) {
      return false;
    }
    String prefix = text.substring(slash + 1);
    if (prefix.isEmpty()
        || prefix.length() > 3
        || !prefix.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return false;
    }
    String addressText = text.substring(0, slash);
    return IpLiterals.parse(addressText)
        .filter(ip -> !(addressText.contains(":") && ip.getAddress().length == 4))
        .map(ip -> Integer.parseInt(prefix) <= ip.getAddress().length * 8)
        .orElse(false);
  }

  /** The first entry of a comma-separated subnet list ("10.96.0.0/12,fd00::/108"). */
  public static String first(String subnets) {
    if (subnets == null || subnets.isBlank()) {
      throw new PkiException("serviceSubnet is empty: give a CIDR such as 10.96.0.0/12");
    }
    return subnets.split(",", -1)[0].trim();
  }

  /** The kube-apiserver's service IP: index 1 of the first service subnet (10.96.0.1). */
  public static InetAddress apiServerServiceIp(String serviceSubnets) {
    return nthAddress(first(serviceSubnets), 1);
  }

  /** The cluster DNS service IP: index 10 of the first service subnet (10.96.0.10). */
  public static InetAddress clusterDnsIp(String serviceSubnets) {
    return nthAddress(first(serviceSubnets), 10);
  }

  /**
   * The network address of {@code cidr} plus {@code n}, like Go's GetIndexedIP. The host bits of
   * the given address are ignored, as Go's ParseCIDR ignores them.
   */
  public static InetAddress nthAddress(String cidr, int n) {
    int slash = cidr == null ? -1 : cidr.indexOf('/');
    if (slash < 0) {
      throw new PkiException(
          "invalid CIDR \"" + cidr + "\": expected address/prefix such as 10.96.0.0/12");
    }
    String addressText = cidr.substring(0, slash);
    InetAddress address =
        IpLiterals.parse(addressText)
            .orElseThrow(
                () ->
                    new PkiException(
                        "invalid CIDR \""
                            + cidr
                            + "\": \""
                            + addressText
                            + "\" is not an IP address"));
    int bits = address.getAddress().length * 8;
    if (addressText.contains(":") && bits == 32) {
      throw new PkiException(
          "invalid CIDR \"" + cidr + "\": IPv4-mapped IPv6 subnets are not supported");
    }
    String prefixText = cidr.substring(slash + 1);
    int prefix;
    try {
      prefix = Integer.parseInt(prefixText);
    } catch (NumberFormatException e) {
      throw new PkiException(
          "invalid CIDR \"" + cidr + "\": prefix \"" + prefixText + "\" is not a number", e);
    }
    if (prefix < 0 || prefix > bits || !prefixText.chars().allMatch(Character::isDigit)) {
      throw new PkiException("invalid CIDR \"" + cidr + "\": prefix must be 0 to " + bits);
    }
    if (n < 0) {
      throw new PkiException("address index must not be negative, got " + n);
    }
    BigInteger size = BigInteger.ONE.shiftLeft(bits - prefix);
    if (BigInteger.valueOf(n).compareTo(size) >= 0) {
      throw new PkiException(
          "subnet \""
              + cidr
              + "\" is too small: it has "
              + size
              + " addresses, index "
              + n
              + " is needed");
    }
    BigInteger mask = BigInteger.ONE.shiftLeft(bits).subtract(size);
    BigInteger network = new BigInteger(1, address.getAddress()).and(mask);
    return toAddress(network.add(BigInteger.valueOf(n)), bits / 8);
  }

  private static InetAddress toAddress(BigInteger value, int length) {
    byte[] raw = value.toByteArray();
    byte[] bytes = new byte[length];
    int copy = Math.min(raw.length, length);
    System.arraycopy(raw, raw.length - copy, bytes, length - copy, copy);
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("4 or 16 bytes are always an IP address", e);
    }
  }
}
