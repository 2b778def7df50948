package dev.kubeboot.templates;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/** IP literal checks without name resolution (InetAddress.getByName would query DNS for names). */
final class IpAddresses {

  private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
  private static final Pattern IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

  private IpAddresses() {}

  /** The address if {@code text} is an IPv4 or IPv6 literal (no zone, no brackets). */
  static Optional<InetAddress> literal(String text) {
    if (text == null || text.isEmpty()) {
      return Optional.empty();
    }
    boolean v4 = IPV4.matcher(text).matches();
    boolean v6 = text.indexOf(':') >= 0 && IPV6_CHARS.matcher(text).matches();
    if (!v4 && !v6) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByName(text));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  static boolean isIpv6(String text) {
    return literal(text).map(a -> a instanceof Inet6Address).orElse(false);
  }

  static boolean isLoopback(String text) {
    return literal(text).map(InetAddress::isLoopbackAddress).orElse(false);
  }

  static boolean isUnspecified(String text) {
    return literal(text).map(InetAddress::isAnyLocalAddress).orElse(false);
  }

  /** Go's net.JoinHostPort: brackets a host that holds a colon. */
  static String joinHostPort(String host, int port) {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
