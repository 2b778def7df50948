package dev.kubeboot.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class KeyAlgorithmTest {

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
    "RSA-2048, RSA_2048",
    "RSA-3072, RSA_3072",
    "RSA-4096, RSA_4096",
    "ECDSA-P256, ECDSA_P256",
    "ECDSA-P384, ECDSA_P384"
  })
  void parsesKubeadmNames(String kubeadmName, KeyAlgorithm expected) {
    assertThat(KeyAlgorithm.parse(kubeadmName)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} round-trips through its kubeadm name")
  @EnumSource(KeyAlgorithm.class)
  void kubeadmNameRoundTrips(KeyAlgorithm algorithm) {
    assertThat(KeyAlgorithm.parse(algorithm.kubeadmName())).isEqualTo(algorithm);
  }

  @ParameterizedTest(name = "\"{0}\" is rejected with the list of valid values")
  @ValueSource(strings = {"RSA-1024", "rsa-2048", "ECDSA-P521", "RSA_2048", "", " RSA-2048"})
  void rejectsUnknownNames(String name) {
    assertThatThrownBy(() -> KeyAlgorithm.parse(name))
        .isInstanceOf(PkiException.class)
        .hasMessageContaining("\"" + name + "\"")
        .hasMessageContaining("RSA-2048, RSA-3072, RSA-4096, ECDSA-P256, ECDSA-P384");
  }

  @org.junit.jupiter.api.Test
  void rejectsNull() {
    assertThatThrownBy(() -> KeyAlgorithm.parse(null))
        .isInstanceOf(PkiException.class)
        .hasMessageContaining("encryptionAlgorithm");
  }
}
