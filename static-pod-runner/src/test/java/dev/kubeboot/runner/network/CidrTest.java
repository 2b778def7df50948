package dev.kubeboot.runner.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CidrTest {
  @Test
  void parsesIpv4AndIpv6() {
    Cidr v4 = Cidr.parse("10.244.0.0/24");
    assertThat(v4.isIpv4()).isTrue();
    assertThat(v4.prefix()).isEqualTo(24);
    assertThat(v4.address(1).getHostAddress()).isEqualTo("10.244.0.1");
    assertThat(v4.contains(Cidr.ip("10.244.0.200").orElseThrow())).isTrue();
    assertThat(v4.contains(Cidr.ip("10.244.1.1").orElseThrow())).isFalse();
    Cidr v6 = Cidr.parse("fd00:10:244::/64");
    assertThat(v6.isIpv4()).isFalse();
    assertThat(v6.contains(Cidr.ip("fd00:10:244::5").orElseThrow())).isTrue();
  }

  @Test
  void aNodeSliceIsTheFirstSubnetOfTheClusterCidr() {
    assertThat(Cidr.parse("10.244.0.0/16").firstSubnet(24)).hasToString("10.244.0.0/24");
    assertThat(Cidr.parse("10.244.0.0/26").firstSubnet(24)).hasToString("10.244.0.0/26");
  }

  @Test
  void dualStackListsTakeOneOfEachFamily() {
    assertThat(Cidr.parseList("10.244.0.0/24,fd00::/64")).hasSize(2);
    assertThatThrownBy(() -> Cidr.parseList("10.244.0.0/24,10.245.0.0/24"))
        .hasMessageContaining("two IPv4 CIDRs");
    assertThatThrownBy(() -> Cidr.parseList("10.244.0.0/24,")).hasMessageContaining("empty entry");
  }

  @ParameterizedTest(name = "{0} is refused: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "10.244.0.0|not a CIDR",
        "10.244.0.0/33|prefix must be a number from 0 to 32",
        "10.244.0.1/24|host bits set: the subnet is 10.244.0.0/24",
        "example.com/24|no IP address",
        "300.1.1.1/24|no IP address",
        "10.244.0.0/x|prefix must be",
        "fd00::/129|from 0 to 128"
      })
  void badCidrs(String text, String message) {
    assertThatThrownBy(() -> Cidr.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(text)
        .hasMessageContaining(message);
  }

  @ParameterizedTest(name = "{0} prints as {1}")
  @CsvSource({
    "fd00:0:0:0:0:0:0:5, fd00::5",
    "0:0:0:0:0:0:0:1, ::1",
    "0:0:0:0:0:0:0:0, ::",
    "fd00:0:0:1:0:0:0:1, fd00:0:0:1::1",
    "1:0:1:0:1:0:1:0, 1:0:1:0:1:0:1:0",
    "fd00:10:244:0:0:0:0:0, fd00:10:244::",
    "10.0.0.1, 10.0.0.1"
  })
  void addressesPrintInTheShortForm(String address, String printed) {
    assertThat(Cidr.format(Cidr.ip(address).orElseThrow())).isEqualTo(printed);
  }

  @Test
  void hostNamesAreNeverLookedUp() {
    assertThat(Cidr.ip("localhost")).isEmpty();
    assertThat(Cidr.ip("::ffff:1.2.3.4")).isEmpty();
    assertThat(Cidr.ip("1.2.3.04")).isEmpty();
    assertThat(Cidr.ip("::1")).isPresent();
  }
}
