package dev.kubeboot.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SubjectAltNamesTest {

  static Stream<Arguments> entries() {
    return Stream.of(
        row("an IPv4 literal is an IP SAN", "10.0.0.1", "", "10.0.0.1", false),
        row(
            "IPv4 leading zeros read as decimal like Go's ParseIPSloppy",
            "010.000.000.001",
            "",
            "10.0.0.1",
            false),
        row("an IPv6 literal is an IP SAN", "fd00::10", "", "fd00::10", false),
        row(
            "an expanded IPv6 literal is an IP SAN",
            "2001:db8:0:0:0:0:0:1",
            "",
            "2001:db8::1",
            false),
        row("IPv6 loopback is an IP SAN", "::1", "", "::1", false),
        row(
            "an IPv4-mapped IPv6 literal is the IPv4 address",
            "::ffff:192.0.2.1",
            "",
            "192.0.2.1",
            false),
        row("a DNS name is a DNS SAN", "api.example.com", "api.example.com", "", false),
        row("a single label is a DNS SAN", "kubernetes", "kubernetes", "", false),
        row("a wildcard is a DNS SAN", "*.example.com", "*.example.com", "", false),
        row("an IPv4 address with a missing octet is a DNS name", "10.0.0", "10.0.0", "", false),
        row("an octet over 255 is a DNS name", "10.0.0.256", "10.0.0.256", "", false),
        row("an underscore and a bang are invalid", "under_score!", "", "", true),
        row("an empty entry is invalid", "", "", "", true),
        row(
            "upper case is invalid (RFC 1123 subdomains are lower case)",
            "API.example.com",
            "",
            "",
            true),
        row("a label may not start with a hyphen", "-api.example.com", "", "", true),
        row("a wildcard must be the whole first label", "a*.example.com", "", "", true),
        row("a bare wildcard is invalid", "*", "", "", true),
        row("a bracketed IPv6 address is invalid", "[fd00::1]", "", "", true),
        row("an IPv6 zone is invalid", "fe80::1%eth0", "", "", true),
        row("a malformed IPv6 literal is invalid", "fd00::1::2", "", "", true),
        row("a name longer than 253 characters is invalid", "a" + ".a".repeat(127), "", "", true),
        row("a URL is invalid", "https://example.com", "", "", true));
  }

  private static Arguments row(
      String sentence, String entry, String dns, String ip, boolean warns) {
    return Arguments.of(sentence, entry, dns, ip, warns);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("entries")
  void readsOneEntry(String sentence, String entry, String dns, String ip, boolean warns)
      throws Exception {
    List<String> warnings = new ArrayList<>();

    SubjectAltNames sans = SubjectAltNames.parse(List.of(entry), warnings::add);

    assertThat(sans.dnsNames()).isEqualTo(dns.isEmpty() ? List.of() : List.of(dns));
    assertThat(sans.ipAddresses())
        .isEqualTo(ip.isEmpty() ? List.of() : List.of(InetAddress.getByName(ip)));
    if (warns) {
      assertThat(warnings).singleElement().asString().contains("'" + entry + "'");
    } else {
      assertThat(warnings).isEmpty();
    }
  }

  @Test
  void dnsNamesAreSortedAndIpsKeepTheirFirstOrderAsKubeadmsRemoveDuplicateAltNames()
      throws Exception {
    SubjectAltNames sans =
        SubjectAltNames.parse(
            Arrays.asList(
                "b.example.com",
                "10.0.0.2",
                "a.example.com",
                "b.example.com",
                "10.0.0.1",
                "10.0.0.2",
                "fd00::1",
                "fd00:0::1",
                "010.0.0.1"),
            warning -> {
              throw new AssertionError(warning);
            });

    assertThat(sans.dnsNames()).containsExactly("a.example.com", "b.example.com");
    assertThat(sans.ipAddresses())
        .containsExactly(
            InetAddress.getByName("10.0.0.2"),
            InetAddress.getByName("10.0.0.1"),
            InetAddress.getByName("fd00::1"));
  }

  @Test
  void plusMergesAndDropsDuplicates() throws Exception {
    SubjectAltNames first =
        new SubjectAltNames(
            List.of("node", "kubernetes"), List.of(InetAddress.getByName("10.96.0.1")));
    SubjectAltNames second =
        new SubjectAltNames(
            List.of("kubernetes", "extra"), List.of(InetAddress.getByName("10.96.0.1")));

    SubjectAltNames sum = first.plus(second);

    assertThat(sum.dnsNames()).containsExactly("extra", "kubernetes", "node");
    assertThat(sum.ipAddresses()).containsExactly(InetAddress.getByName("10.96.0.1"));
  }

  @Test
  void everyInvalidEntryIsReportedOnce() {
    List<String> warnings = new ArrayList<>();

    SubjectAltNames sans =
        SubjectAltNames.parse(List.of("ok.example.com", "bad name", "also_bad"), warnings::add);

    assertThat(sans.dnsNames()).containsExactly("ok.example.com");
    assertThat(warnings).hasSize(2);
    assertThat(warnings.get(0)).contains("'bad name'");
    assertThat(warnings.get(1)).contains("'also_bad'");
  }
}
