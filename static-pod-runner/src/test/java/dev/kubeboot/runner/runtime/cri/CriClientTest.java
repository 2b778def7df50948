package dev.kubeboot.runner.runtime.cri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CriClientTest {
  @ParameterizedTest(name = "endpoint {0} is socket {1}")
  @CsvSource({
    "unix:///run/containerd/containerd.sock, /run/containerd/containerd.sock",
    "/var/run/crio/crio.sock, /var/run/crio/crio.sock"
  })
  void endpoints(String endpoint, String socket) {
    assertThat(CriClient.socketPath(endpoint)).isEqualTo(Path.of(socket));
    assertThat(CriClient.target(endpoint)).isEqualTo("unix://" + socket);
  }

  @Test
  void aTcpEndpointIsRefusedByName() {
    assertThatThrownBy(() -> CriClient.target("tcp://127.0.0.1:2375"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tcp://127.0.0.1:2375");
  }

  @Test
  void aMissingSocketIsNotAvailable() {
    assertThat(CriContainerRuntime.available("unix:///nonexistent/kubeboot/cri.sock")).isFalse();
    assertThat(CriContainerRuntime.available("npipe:////./pipe/containerd")).isFalse();
  }
}
