package dev.kubeboot.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpLiteralsTest {

  @ParameterizedTest(name = "{0} is the address {1}")
  @CsvSource({
    "192.168.0.10, 192.168.0.10",
    "010.000.000.001, 10.0.0.1",
    "fd00::10, fd00:0:0:0:0:0:0:10",
    "FD00::A, fd00:0:0:0:0:0:0:a",
    "::1, 0:0:0:0:0:0:0:1",
    "::ffff:10.0.0.1, 10.0.0.1"
  })
  void parsesLiterals(String text, String address) throws Exception {
    assertThat(IpLiterals.parse(text)).contains(InetAddress.getByName(address));
  }

  @ParameterizedTest(name = "\"{0}\" is no IP literal and is never looked up")
  @ValueSource(
      strings = {
        "",
        "localhost",
        "example.com",
        "256.1.1.1",
        "1.2.3",
        "1.2.3.4.5",
        "[fd00::1]",
        "fd00::1%eth0",
        "1.2.3.4 ",
        "fd00:::1"
      })
  void rejectsEverythingElse(String text) {
    assertThat(IpLiterals.parse(text)).isEmpty();
  }
}
