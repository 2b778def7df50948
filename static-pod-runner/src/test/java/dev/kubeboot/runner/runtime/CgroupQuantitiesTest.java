package dev.kubeboot.runner.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CgroupQuantitiesTest {
  @ParameterizedTest(name = "cpu {0} is a quota of {1} us per 100 ms and {2} shares")
  @CsvSource({
    "1, 100000, 1024",
    "250m, 25000, 256",
    "1.5, 150000, 1536",
    "1m, 1000, 2",
    "0.0001, 1000, 2"
  })
  void cpu(String quantity, long quota, long shares) {
    assertThat(Quantities.cpuQuota(quantity)).isEqualTo(quota);
    assertThat(Quantities.cpuShares(quantity)).isEqualTo(shares);
  }

  @ParameterizedTest(name = "memory {0} is {1} bytes")
  @CsvSource({"100Mi, 104857600", "1G, 1000000000", "1e3, 1000", "512, 512", "1.5Ki, 1536"})
  void memory(String quantity, long bytes) {
    assertThat(Quantities.bytes(quantity)).isEqualTo(bytes);
  }

  @ParameterizedTest(name = "\"{0}\" is refused")
  @CsvSource({"abc", "-1", "10Xi"})
  void notAQuantity(String quantity) {
    assertThatThrownBy(() -> Quantities.parse(quantity))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(quantity);
  }
}
