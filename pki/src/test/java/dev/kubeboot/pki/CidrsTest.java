package dev.kubeboot.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CidrsTest {

  @ParameterizedTest(name = "index {1} of {0} is {2}")
  @CsvSource({
    "10.96.0.0/12, 1, 10.96.0.1",
    "10.96.0.0/12, 10, 10.96.0.10",
    "10.96.0.5/12, 1, 10.96.0.1",
    "10.96.0.0/12, 256, 10.96.1.0",
    "192.168.0.0/30, 3, 192.168.0.3",
    "10.0.0.255/24, 0, 10.0.0.0",
    "fd00::/108, 1, fd00::1",
    "fd00::/108, 10, fd00::a",
    "fd00:10:96::/112, 1, fd00:10:96::1",
    "2001:db8::ffff/64, 65536, 2001:db8::1:0",
    "::/0, 1, ::1"
  })
  void computesIndexedAddresses(String cidr, int n, String expected) throws Exception {
    assertThat(Cidrs.nthAddress(cidr, n)).isEqualTo(InetAddress.getByName(expected));
  }

  @Test
  void serviceAndDnsIpsComeFromTheFirstSubnet() throws Exception {
    assertThat(Cidrs.apiServerServiceIp("10.96.0.0/12,fd00::/108"))
        .isEqualTo(InetAddress.getByName("10.96.0.1"));
    assertThat(Cidrs.clusterDnsIp("fd00::/108, 10.96.0.0/12"))
        .isEqualTo(InetAddress.getByName("fd00::a"));
  }

  @ParameterizedTest(name = "{0} index {1} fails: {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "10.96.0.0|1|expected address/prefix",
        "10.96.0.0/33|1|prefix must be 0 to 32",
        "fd00::/129|1|prefix must be 0 to 128",
        "10.96.0.0/-1|1|prefix must be 0 to 32",
        "10.96.0.0/x|1|is not a number",
        "10.96.0/12|1|is not an IP address",
        "example.com/24|1|is not an IP address",
        "10.0.0.0/32|1|too small",
        "10.0.0.0/30|4|too small",
        "fd00::/127|2|too small",
        "10.0.0.0/24|-1|must not be negative"
      })
  void rejectsBadCidrsAndSmallSubnets(String cidr, int n, String message) {
    assertThatThrownBy(() -> Cidrs.nthAddress(cidr, n))
        .isInstanceOf(PkiException.class)
        .hasMessageContaining(message);
  }

  @Test
  void emptyServiceSubnetIsAnError() {
    assertThatThrownBy(() -> Cidrs.apiServerServiceIp(" "))
        .isInstanceOf(PkiException.class)
        .hasMessageContaining("serviceSubnet");
  }

  @ParameterizedTest(name = "\"{0}\" is a CIDR: {1}")
  @CsvSource({
    "10.96.0.0/12, true",
    "fd00::/108, true",
    "0.0.0.0/0, true",
    "::/128, true",
    "10.96.0.0/33, false",
    "fd00::/129, false",
    "10.96.0.0, false",
    "10.96.0.0/, false",
    "10.96.0.0/-1, false",
    "10.96.0.0/1x, false",
    "host.example/12, false",
    "::ffff:10.0.0.0/104, false",
    "'', false"
  })
  void recognisesCidrs(String text, boolean cidr) {
    assertThat(Cidrs.isCidr(text)).isEqualTo(cidr);
  }
}
