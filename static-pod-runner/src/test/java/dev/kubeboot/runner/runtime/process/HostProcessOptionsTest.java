package dev.kubeboot.runner.runtime.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostProcessOptionsTest {
  @Test
  void emptyDirsLiveBesideTheStateDir() {
    assertThat(
            new HostProcessOptions(Path.of("/var/lib/kubeboot"), List.of(), Clock.systemUTC())
                .volumesDir())
        .isEqualTo(Path.of("/var/lib/kubeboot-volumes"));
  }

  @Test
  void theVolumesDirMustNotBeInTheClosedStateDirNorHoldIt() {
    assertThatThrownBy(
            () ->
                new HostProcessOptions(
                    Path.of("/s"), Path.of("/s/volumes"), List.of(), Clock.systemUTC()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not contain one another");
    assertThatThrownBy(
            () ->
                new HostProcessOptions(
                    Path.of("/s/state"), Path.of("/s"), List.of(), Clock.systemUTC()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new HostProcessOptions(Path.of("/"), List.of(), Clock.systemUTC()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("root directory");
  }
}
