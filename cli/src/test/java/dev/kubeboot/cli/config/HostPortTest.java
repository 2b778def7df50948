package dev.kubeboot.cli.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** kubeadm's util.ParseHostPort, and the endpoint as written back. */
class HostPortTest {

  @ParameterizedTest(name = "\"{0}\" is host {1}, port \"{2}\", written {3}")
  @CsvSource({
    "lb.example.com, lb.example.com, '', lb.example.com",
    "lb.example.com:443, lb.example.com, 443, lb.example.com:443",
    "10.0.0.1, 10.0.0.1, '', 10.0.0.1",
    "10.0.0.1:6443, 10.0.0.1, 6443, 10.0.0.1:6443",
    "2001:db8::100, 2001:db8::100, '', 2001:db8::100",
    "'[2001:db8::100]:6443', 2001:db8::100, 6443, '[2001:db8::100]:6443'",
    "lb.example.com:, lb.example.com, '', lb.example.com"
  })
  void parsesAsKubeadm(String text, String host, String port, String written) {
    HostPort endpoint = HostPort.parse(text).value().orElseThrow();
    assertThat(endpoint.host()).isEqualTo(host);
    assertThat(endpoint.port().isPresent() ? Integer.toString(endpoint.port().getAsInt()) : "")
        .isEqualTo(port);
    assertThat(endpoint.toString()).isEqualTo(written);
  }

  @ParameterizedTest(name = "\"{0}\" is refused: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "[2001:db8::100]|host '[2001:db8::100]' must be a valid IP address or a valid RFC-1123 DNS"
            + " subdomain (an IPv6 address in brackets needs a port",
        "lb:0|port 0 must be a valid number between 1 and 65535, inclusive",
        "lb:65536|port 65536 must be a valid number",
        "lb:https|port https must be a valid number",
        "LB.example.com|host 'LB.example.com' must be a valid IP address or a valid RFC-1123 DNS"
            + " subdomain",
        "lb_1.example|host 'lb_1.example' must be",
        ":6443|host '' must be"
      })
  void refusesWhatKubeadmRefuses(String text, String reason) {
    HostPort.Result result = HostPort.parse(text);
    assertThat(result.value()).isEmpty();
    assertThat(result.problem()).startsWith(reason);
  }

  @ParameterizedTest(name = "{0} with bind port 7443 is {1}")
  @CsvSource({
    "lb.example.com, lb.example.com:7443",
    "lb.example.com:443, lb.example.com:443",
    "fd00::1, '[fd00::1]:7443'"
  })
  void aMissingPortIsTheBindPort(String text, String withPort) {
    assertThat(HostPort.parse(text).value().orElseThrow().withDefaultPort(7443).toString())
        .isEqualTo(withPort);
  }
}
