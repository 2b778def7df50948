package dev.kubeboot.cli.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * kubeadm's advertise address rule: the first global-unicast address of the interface that holds a
 * default route, IPv4 routes first ({@code /proc/net/route}), then IPv6 ({@code
 * /proc/net/ipv6_route}). Unlike kubeadm, which falls back to {@code 0.0.0.0}, no usable default
 * route is an error asking for {@code --apiserver-advertise-address}.
 */
public final class AdvertiseAddressDetector {
  private static final int RTF_UP = 0x1;
  private static final int RTF_REJECT = 0x200;
  private static final String IPV6_ZERO = "0".repeat(32);

  private final Path ipv4Routes;
  private final Path ipv6Routes;
  private final Function<String, List<InetAddress>> interfaceAddresses;

  /** Reads the real {@code /proc} files and the JDK's network interfaces. */
  public AdvertiseAddressDetector() {
    this(
        Path.of("/proc/net/route"),
        Path.of("/proc/net/ipv6_route"),
        AdvertiseAddressDetector::addressesOfUpInterface);
  }

  /**
   * @param interfaceAddresses the addresses of an interface that is up, empty when it is down or
   *     absent
   */
  AdvertiseAddressDetector(
      Path ipv4Routes, Path ipv6Routes, Function<String, List<InetAddress>> interfaceAddresses) {
    this.ipv4Routes = Objects.requireNonNull(ipv4Routes, "ipv4Routes");
    this.ipv6Routes = Objects.requireNonNull(ipv6Routes, "ipv6Routes");
    this.interfaceAddresses = Objects.requireNonNull(interfaceAddresses, "interfaceAddresses");
  }

  /**
   * @throws ConfigException when no default-route interface has a global-unicast address
   */
  public InetAddress detect() {
    List<String> tried = new ArrayList<>();
    for (String iface : ipv4DefaultRouteInterfaces()) {
      tried.add(iface + " (IPv4)");
      for (InetAddress address : interfaceAddresses.apply(iface)) {
        if (address instanceof Inet4Address && isGlobalUnicast(address)) {
          return address;
        }
      }
    }
    for (String iface : ipv6DefaultRouteInterfaces()) {
      tried.add(iface + " (IPv6)");
      for (InetAddress address : interfaceAddresses.apply(iface)) {
        if (address instanceof Inet6Address && isGlobalUnicast(address)) {
          return address;
        }
      }
    }
    String why =
        tried.isEmpty()
            ? "there is no default route in " + ipv4Routes + " or " + ipv6Routes
            : "no global-unicast address on the default-route interfaces "
                + String.join(", ", tried);
    throw new ConfigException(
        "cannot choose the API server advertise address: "
            + why
            + "; give one with --apiserver-advertise-address or"
            + " InitConfiguration.localAPIEndpoint.advertiseAddress");
  }

  private List<String> ipv4DefaultRouteInterfaces() {
    // Iface Destination Gateway Flags RefCnt Use Metric Mask MTU Window IRTT
    List<String> out = new ArrayList<>();
    List<String> lines = lines(ipv4Routes);
    for (int i = 1; i < lines.size(); i++) {
      String[] f = lines.get(i).trim().split("\\s+");
      if (f.length >= 8
          && f[1].equals("00000000")
          && f[7].equals("00000000")
          && isUsable(f[3])
          && !out.contains(f[0])) {
        out.add(f[0]);
      }
    }
    return out;
  }

  private List<String> ipv6DefaultRouteInterfaces() {
    // dest destPrefixLen src srcPrefixLen nextHop metric refCnt use flags iface
    List<String> out = new ArrayList<>();
    for (String line : lines(ipv6Routes)) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 10
          && f[0].equals(IPV6_ZERO)
          && f[1].equals("00")
          && isUsable(f[8])
          && !f[9].equals("lo")
          && !out.contains(f[9])) {
        out.add(f[9]);
      }
    }
    return out;
  }

  private static boolean isUsable(String hexFlags) {
    try {
      int flags = Integer.parseInt(hexFlags, 16);
      return (flags & RTF_UP) != 0 && (flags & RTF_REJECT) == 0;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static List<InetAddress> addressesOfUpInterface(String name) {
    try {
      NetworkInterface iface = NetworkInterface.getByName(name);
      if (iface == null || !iface.isUp()) {
        return List.of();
      }
      return Collections.list(iface.getInetAddresses());
    } catch (SocketException e) {
      return List.of();
    }
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
