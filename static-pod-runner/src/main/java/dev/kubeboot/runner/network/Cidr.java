package dev.kubeboot.runner.network;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An IP subnet such as {@code 10.244.0.0/24} or {@code fd00:10:244::/64}, with the host bits
 * cleared.
 *
 * @param network the network address (host bits zero)
 * @param prefix the prefix length, 0-32 or 0-128
 */
public record Cidr(InetAddress network, int prefix) {
  private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");

  public Cidr {
    Objects.requireNonNull(network, "network");
    int bits = network.getAddress().length * 8;
    if (prefix < 0 || prefix > bits) {
      throw new IllegalArgumentException("prefix " + prefix + " is not between 0 and " + bits);
    }
  }

  /**
   * Parses {@code address/prefix}; host bits set in the address are an error (a pod CIDR is a
   * range, and a typo there would silently move it).
   *
   * @throws IllegalArgumentException naming the value and what is wrong with it
   */
  public static Cidr parse(String text) {
    String value = Objects.requireNonNull(text, "text").strip();
    int slash = value.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException(
          "\"" + text + "\" is not a CIDR: write address/prefix, e.g. 10.244.0.0/24");
    }
    String addressText = value.substring(0, slash);
    InetAddress address =
        ip(addressText)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "\""
                            + text
                            + "\" is not a CIDR: \""
                            + addressText
                            + "\" is no IP address"));
    int bits = address.getAddress().length * 8;
    String prefixText = value.substring(slash + 1);
    if (!prefixText.matches("\\d{1,3}") || Integer.parseInt(prefixText) > bits) {
      throw new IllegalArgumentException(
          "\"" + text + "\" is not a CIDR: the prefix must be a number from 0 to " + bits);
    }
    int prefix = Integer.parseInt(prefixText);
    Cidr cidr = new Cidr(mask(address, prefix), prefix);
    if (!cidr.network().equals(address)) {
      throw new IllegalArgumentException(
          "\""
              + text
              + "\" has host bits set: the subnet is "
              + cidr
              + " (write the network address)");
    }
    return cidr;
  }

  /**
   * A comma-separated list of at most one IPv4 and one IPv6 CIDR, as the kubelet's {@code
   * --pod-cidr} and kubeadm's {@code networking.podSubnet} take them.
   *
   * @throws IllegalArgumentException a bad entry, or two of one family
   */
  public static List<Cidr> parseList(String text) {
    List<Cidr> cidrs = new ArrayList<>();
    for (String part : Objects.requireNonNull(text, "text").split(",", -1)) {
      if (part.isBlank()) {
        throw new IllegalArgumentException(
            "\"" + text + "\" has an empty entry: write CIDRs separated by commas");
      }
      Cidr cidr = parse(part);
      if (cidrs.stream().anyMatch(c -> c.isIpv4() == cidr.isIpv4())) {
        throw new IllegalArgumentException(
            "\""
                + text
                + "\" has two "
                + (cidr.isIpv4() ? "IPv4" : "IPv6")
                + " CIDRs: give at most one of each family (dual stack)");
      }
      cidrs.add(cidr);
    }
    return List.copyOf(cidrs);
  }

  /**
   * An IP address literal, never a host name (no DNS lookup is made).
   *
   * @return empty when {@code text} is not an IPv4 or IPv6 literal
   */
  public static Optional<InetAddress> ip(String text) {
    if (text == null) {
      return Optional.empty();
    }
    boolean v4 = IPV4.matcher(text).matches();
    if (!v4 && !(text.contains(":") && IPV6.matcher(text).matches())) {
      return Optional.empty();
    }
    if (v4) {
      for (String octet : text.split("\\.")) {
        if (Integer.parseInt(octet) > 255 || (octet.length() > 1 && octet.startsWith("0"))) {
          return Optional.empty();
        }
      }
    }
    try {
      InetAddress address = InetAddress.getByName(text);
      // "::ffff:1.2.3.4" comes back as IPv4; a pod network is one family or the other.
      return v4 == address instanceof Inet4Address ? Optional.of(address) : Optional.empty();
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  public boolean isIpv4() {
    return network instanceof Inet4Address;
  }

  /** The address {@code n} places after the network address (1: the usual gateway). */
  public InetAddress address(long n) {
    int length = network.getAddress().length;
    BigInteger value = new BigInteger(1, network.getAddress()).add(BigInteger.valueOf(n));
    return toAddress(value, length);
  }

  /** Whether {@code address} lies in this subnet. */
  public boolean contains(InetAddress address) {
    return address.getAddress().length == network.getAddress().length
        && mask(address, prefix).equals(network);
  }

  /**
   * The first subnet of {@code prefixLength} inside this one (this one when it is already as small
   * or smaller): a node's slice of a cluster's pod CIDR, as the node IPAM controller gives the
   * first node.
   */
  public Cidr firstSubnet(int prefixLength) {
    return prefixLength <= prefix ? this : new Cidr(network, prefixLength);
  }

  @Override
  public String toString() {
    return format(network) + "/" + prefix;
  }

  /**
   * An address as Go and Kubernetes print it: IPv4 dotted, IPv6 in the RFC 5952 short form ({@code
   * fd00::5}, not the JDK's {@code fd00:0:0:0:0:0:0:5}).
   */
  public static String format(InetAddress address) {
    if (address instanceof Inet4Address) {
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
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        out.append("::");
        i += bestLength - 1;
        continue;
      }
      if (!out.isEmpty() && out.charAt(out.length() - 1) != ':') {
        out.append(':');
      }
      out.append(Integer.toHexString(groups[i]));
    }
    return out.toString();
  }

  private static InetAddress mask(InetAddress address, int prefix) {
    byte[] bytes = address.getAddress();
    for (int i = 0; i < bytes.length; i++) {
      int keep = Math.max(0, Math.min(8, prefix - i * 8));
      bytes[i] = (byte) (bytes[i] & (0xff << (8 - keep)));
    }
    return toAddress(new BigInteger(1, bytes), bytes.length);
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
