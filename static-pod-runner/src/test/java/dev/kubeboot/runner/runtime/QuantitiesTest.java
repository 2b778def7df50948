package dev.kubeboot.runner.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class QuantitiesTest {
  @ParameterizedTest(name = "{0}: cpu {1} is {2} NanoCPUs and {3} shares")
  @CsvSource({
    "millicores, 250m, 250000000, 256",
    "whole cores, 2, 2000000000, 2048",
    "a fraction, 1.5, 1500000000, 1536",
    "an exponent, 1e-1, 100000000, 102",
    "a tiny request gets the minimum of 2 shares, 1m, 1000000, 2",
  })
  void cpu(String sentence, String quantity, long nanoCpus, int shares) {
    assertThat(Quantities.nanoCpus(quantity)).isEqualTo(nanoCpus);
    assertThat(Quantities.cpuShares(quantity)).isEqualTo(shares);
  }

  @ParameterizedTest(name = "{0}: memory {1} is {2} bytes")
  @CsvSource({
    "binary suffix, 100Mi, 104857600",
    "decimal suffix, 1G, 1000000000",
    "kibibytes, 64Ki, 65536",
    "plain bytes, 4096, 4096",
    "exa is a suffix not an exponent, 1E, 1000000000000000000",
    "exbi is a suffix, 1Ei, 1152921504606846976",
    "an exponent, 128e6, 128000000",
    "fractions round up, 1.5k, 1500",
  })
  void memory(String sentence, String quantity, long bytes) {
    assertThat(Quantities.bytes(quantity)).isEqualTo(bytes);
  }

  @ParameterizedTest(name = "\"{0}\" is refused")
  @ValueSource(strings = {"", "abc", "10MB", "-1", "1.2.3", "Mi"})
  void refused(String quantity) {
    assertThatThrownBy(() -> Quantities.parse(quantity))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"" + quantity + "\"");
  }
}
