package dev.kubeboot.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ControllersTest {
  @ParameterizedTest(name = "--controllers={0}: {1} is on: {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "*|bootstrapsigner|false",
        "*|tokencleaner|false",
        "*|garbagecollector|true",
        "*,bootstrapsigner,tokencleaner|bootstrapsigner|true",
        "*,bootstrapsigner,tokencleaner|tokencleaner|true",
        "bootstrapsigner|garbagecollector|false",
        "-bootstrapsigner,bootstrapsigner|bootstrapsigner|false",
        "*,-garbagecollector|garbagecollector|false",
        "''|garbagecollector|false"
      })
  void controllersAreOnAsKubeControllerManagerDecides(String flag, String name, boolean on) {
    assertThat(Controllers.parse(flag).enabled(name)).isEqualTo(on);
  }
}
