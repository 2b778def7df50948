package dev.kubeboot.templates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ApiServerUrlsTest {

  @ParameterizedTest(name = "controlPlaneEndpoint \"{0}\", adv {1}, bindPort {2} -> {3}")
  @CsvSource({
    "'', 192.168.0.10, 6443, https://192.168.0.10:6443",
    "'', fd00::10, 6443, https://[fd00::10]:6443",
    "lb.example.com, 192.168.0.10, 6443, https://lb.example.com:6443",
    "lb.example.com:443, 192.168.0.10, 6443, https://lb.example.com:443",
    "10.0.0.1, 192.168.0.10, 8443, https://10.0.0.1:8443",
    "fd00::1, fd00::10, 6443, https://[fd00::1]:6443",
    "'[fd00::1]', fd00::10, 6443, https://[fd00::1]:6443",
    "'[fd00::1]:7443', fd00::10, 6443, https://[fd00::1]:7443",
  })
  void adminServerUrl(String endpoint, String adv, int bindPort, String url) {
    assertThat(ApiServerUrls.apiServerUrl(endpoint, adv, bindPort)).isEqualTo(url);
  }

  @ParameterizedTest(name = "controlPlaneEndpoint \"{0}\" is rejected")
  @ValueSource(strings = {"lb:0", "lb:99999", "lb:https", "[fd00::1", "[fd00::1]x", ":6443"})
  void badEndpoints(String endpoint) {
    assertThatThrownBy(() -> ApiServerUrls.apiServerUrl(endpoint, "192.168.0.10", 6443))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("controlPlaneEndpoint");
  }

  @ParameterizedTest(name = "local URL for {0}:{1} is {2}")
  @CsvSource({
    "192.168.0.10, 6443, https://192.168.0.10:6443",
    "fd00::10, 8443, https://[fd00::10]:8443"
  })
  void localUrl(String adv, int port, String url) {
    assertThat(ApiServerUrls.localApiServerUrl(adv, port)).isEqualTo(url);
  }
}
