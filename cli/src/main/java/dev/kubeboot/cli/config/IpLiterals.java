package dev.kubeboot.cli.config;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** IP and CIDR literals, parsed without ever resolving a host name. */
public final class IpLiterals {
  private static final Pattern IPV4 =
      Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:][0-9A-Fa-f:.]*");

  private IpLiterals() {}

  static Optional<InetAddress> parseIp(String text) {
    Matcher v4 = IPV4.matcher(text);
    try {
      if (v4.matches()) {
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
          int octet = Integer.parseInt(v4.group(i + 1));
          if (octet > 255) {
            return Optional.empty();
          }
          bytes[i] = (byte) octet;
        }
        return Optional.of(InetAddress.getByAddress(bytes));
      }
      if (text.contains(":") && IPV6_CHARS.matcher(text).matches()) {
        // Starting with a hex digit or colon and holding a colon, the JDK parses it as an IPv6
        // literal and never falls back to a name lookup.
        return Optional.of(InetAddress.getByName(text));
      }
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  /** True when the text is one CIDR ({@code 10.96.0.0/12}, {@code fd00::/108}). */
  static boolean isCidr(String text) {
    int slash = text.indexOf('/');
    if (slash < 0) {
      return false;
    }
    Optional<InetAddress> ip = parseIp(text.substring(0, slash));
    String prefix = text.substring(slash + 1);
    if (ip.isEmpty() || !prefix.matches("\\d{1,3}")) {
      return false;
    }
    int max = ip.get() instanceof Inet6Address ? 128 : 32;
    return Integer.parseInt(prefix) <= max;
  }

  /** The canonical text of an address: dotted quad, or RFC 5952 compressed IPv6. */
  public static String format(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return address.getHostAddress();
    }
    byte[] b = address.getAddress();
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; ) {
      if (groups[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j;
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        out.append("::");
        i += bestLength - 1;
        continue;
      }
      if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
        out.append(':');
      }
      out.append(Integer.toHexString(groups[i]));
    }
    return out.toString();
  }

  /**
   * Go's {@code IsGlobalUnicast}: not unspecified, loopback, link-local, multicast or broadcast.
   */
  static boolean isGlobalUnicast(InetAddress address) {
    if (address.isAnyLocalAddress()
        || address.isLoopbackAddress()
        || address.isLinkLocalAddress()
        || address.isMulticastAddress()) {
      return false;
    }
    byte[] b = address.getAddress();
    if (b.length == 4) {
      boolean broadcast = (b[0] & b[1] & b[2] & b[3] & 0xff) == 0xff;
      return !broadcast;
    }
    return true;
  }
}
