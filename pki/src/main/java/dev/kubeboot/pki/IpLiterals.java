package dev.kubeboot.pki;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import org.bouncycastle.util.IPAddress;

/**
 * Parses IP address literals without ever resolving a name: {@link InetAddress#getByName} looks up
 * anything it does not take for a literal, and a config value must never cause DNS traffic. The one
 * IP literal parser of kubeboot: the cli reads config values and flags with it, and the templates
 * take the addresses it returns.
 */
public final class IpLiterals {
  private IpLiterals() {}

  /**
   * IPv4 dotted decimal (leading zeros read as decimal, like Go's ParseIPSloppy that kubeadm uses)
   * or IPv6 without zone or brackets.
   */
  public static Optional<InetAddress> parse(String text) {
    if (text == null || text.isEmpty()) {
      return Optional.empty();
    }
    if (text.indexOf(':') >= 0) {
      return IPAddress.isValidIPv6(text) ? Optional.of(literal(text)) : Optional.empty();
    }
    return parseIpv4(text);
  }

  private static Optional<InetAddress> parseIpv4(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      return Optional.empty();
    }
    byte[] bytes = new byte[4];
    for (int i = 0; i < 4; i++) {
      String part = parts[i];
      if (part.isEmpty()
          || part.length() > 3
          || !part.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return Optional.empty();
      }
      int value = Integer.parseInt(part);
      if (value > 255) {
        return Optional.empty();
      }
      bytes[i] = (byte) value;
    }
    try {
      return Optional.of(InetAddress.getByAddress(bytes));
    } catch (UnknownHostException e) {
      throw new IllegalStateException("four bytes are always an IPv4 address", e);
    }
  }

  /** Only called with text already checked to be an IPv6 literal, which the JDK never resolves. */
  private static InetAddress literal(String ipv6) {
    try {
      return InetAddress.getByName(ipv6);
    } catch (UnknownHostException e) {
      throw new PkiException("invalid IPv6 address \"" + ipv6 + "\"", e);
    }
  }
}
