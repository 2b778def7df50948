package dev.kubeboot.templates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ApiServerUrlsTest {

  @ParameterizedTest(name = "host {0}, port {1} -> {2}")
  @CsvSource({
    "lb.example.com, 6443, https://lb.example.com:6443",
    "10.0.0.1, 8443, https://10.0.0.1:8443",
    "fd00::1, 7443, https://[fd00::1]:7443"
  })
  void endpointUrl(String host, int port, String url) {
    assertThat(ApiServerUrls.of(host, port)).isEqualTo(url);
  }

  @ParameterizedTest(name = "host \"{0}\" is rejected")
  @ValueSource(strings = {"", " "})
  void aHostIsRequired(String host) {
    assertThatThrownBy(() -> ApiServerUrls.of(host, 6443))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("controlPlaneEndpoint");
  }

  @ParameterizedTest(name = "local URL for {0}:{1} is {2}")
  @CsvSource({
    "192.168.0.10, 6443, https://192.168.0.10:6443",
    "fd00:0:0::10, 8443, https://[fd00::10]:8443"
  })
  void localUrl(String adv, int port, String url) {
    assertThat(ApiServerUrls.local(Fixtures.ip(adv), port)).isEqualTo(url);
  }
}
