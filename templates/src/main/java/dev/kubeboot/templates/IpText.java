package dev.kubeboot.templates;

import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * IP addresses as text, the way Go's {@code net.IP.String} and {@code net.JoinHostPort} write them
 * into kubeadm's manifests. Formatting only: addresses reach the templates already parsed.
 */
public final class IpText {
  private IpText() {}

  /** Dotted quad, or RFC 5952 IPv6: lower case, longest run of zero groups (two or more) as ::. */
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

  /** Go's {@code net.JoinHostPort}: a host holding a colon (IPv6) goes in brackets. */
  public static String joinHostPort(String host, int port) {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  static String joinHostPort(InetAddress address, int port) {
    return joinHostPort(format(address), port);
  }

  /** The loopback address of the address's family, as etcd and kubeadm use it. */
  static InetAddress loopbackOf(InetAddress address) {
    byte[] bytes = address instanceof Inet6Address ? new byte[16] : new byte[] {127, 0, 0, 0};
    bytes[bytes.length - 1] = 1;
    try {
      return InetAddress.getByAddress(bytes);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException("4 or 16 bytes are always an address", e);
    }
  }
}
