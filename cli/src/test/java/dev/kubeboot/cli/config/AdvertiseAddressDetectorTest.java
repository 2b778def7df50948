package dev.kubeboot.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdvertiseAddressDetectorTest {
  private static final String ROUTE_HEADER =
      "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n";
  private static final String LO_V6_UNREACHABLE =
      "00000000000000000000000000000000 00 00000000000000000000000000000000 00"
          + " 00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo\n";

  @TempDir Path dir;

  private AdvertiseAddressDetector detector(
      String route, String ipv6Route, Map<String, List<String>> interfaces) throws IOException {
    Path v4 = dir.resolve("route");
    Path v6 = dir.resolve("ipv6_route");
    Files.writeString(v4, route);
    Files.writeString(v6, ipv6Route);
    return new AdvertiseAddressDetector(
        v4,
        v6,
        name ->
            interfaces.getOrDefault(name, List.of()).stream()
                .map(AdvertiseAddressDetectorTest::ip)
                .toList());
  }

  private static InetAddress ip(String text) {
    try {
      return InetAddress.getByName(text);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void takesTheGlobalIpv4AddressOfTheDefaultRouteInterface() throws IOException {
    String route =
        ROUTE_HEADER
            + "docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0\n"
            + "eth0\t00000000\t0102A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n"
            + "eth0\t0002A8C0\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0\n";
    AdvertiseAddressDetector detector =
        detector(
            route,
            LO_V6_UNREACHABLE,
            Map.of(
                "eth0", List.of("fe80::1", "2001:db8::5", "169.254.3.3", "192.168.2.17"),
                "docker0", List.of("172.17.0.1")));

    assertThat(detector.detect()).isEqualTo(ip("192.168.2.17"));
  }

  @Test
  void skipsADefaultRouteThatIsDownOrWhoseInterfaceHasNoGlobalAddress() throws IOException {
    String route =
        ROUTE_HEADER
            + "wg0\t00000000\t00000000\t0000\t0\t0\t50\t00000000\t0\t0\t0\n"
            + "eth1\t00000000\t0101A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n"
            + "eth0\t00000000\t0102A8C0\t0003\t0\t0\t200\t00000000\t0\t0\t0\n";
    AdvertiseAddressDetector detector =
        detector(
            route,
            "",
            Map.of(
                "wg0", List.of("10.9.9.9"),
                "eth1", List.of("169.254.0.7"),
                "eth0", List.of("10.0.0.4")));

    assertThat(detector.detect()).isEqualTo(ip("10.0.0.4"));
  }

  @Test
  void fallsBackToIpv6() throws IOException {
    String ipv6Route =
        LO_V6_UNREACHABLE
            + "20010db8000000000000000000000000 40 00000000000000000000000000000000 00"
            + " 00000000000000000000000000000000 00000100 00000001 00000000 00000001     eth0\n"
            + "00000000000000000000000000000000 00 00000000000000000000000000000000 00"
            + " fe800000000000000000000000000001 00000400 00000001 00000000 00000003     eth0\n";
    AdvertiseAddressDetector detector =
        detector(
            ROUTE_HEADER, ipv6Route, Map.of("eth0", List.of("10.1.1.1", "fe80::2", "2001:db8::7")));

    assertThat(detector.detect()).isEqualTo(ip("2001:db8::7"));
  }

  @Test
  void noDefaultRouteAsksForTheFlag() throws IOException {
    AdvertiseAddressDetector detector = detector(ROUTE_HEADER, LO_V6_UNREACHABLE, Map.of());

    assertThatThrownBy(detector::detect)
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("there is no default route")
        .hasMessageContaining("--apiserver-advertise-address");
  }

  @Test
  void aDefaultRouteWithoutAGlobalAddressNamesTheInterface() throws IOException {
    String route = ROUTE_HEADER + "eth0\t00000000\t0102A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n";
    AdvertiseAddressDetector detector = detector(route, "", Map.of("eth0", List.of("127.0.0.5")));

    assertThatThrownBy(detector::detect)
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("eth0 (IPv4)")
        .hasMessageContaining("--apiserver-advertise-address");
  }

  @Test
  void missingProcFilesMeanNoRoutes() {
    AdvertiseAddressDetector detector =
        new AdvertiseAddressDetector(
            dir.resolve("no-route"), dir.resolve("no-ipv6"), name -> List.of());

    assertThatThrownBy(detector::detect).isInstanceOf(ConfigException.class);
  }
}
