package dev.kubeboot.pki;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * kubeadm's {@code encryptionAlgorithm} values (v1beta4). Which Kubernetes versions accept which
 * value (ECDSA-P384 needs 1.34) is a config concern, not this module's.
 */
public enum KeyAlgorithm {
  RSA_2048("RSA-2048", 2048, null),
  RSA_3072("RSA-3072", 3072, null),
  RSA_4096("RSA-4096", 4096, null),
  ECDSA_P256("ECDSA-P256", 0, "secp256r1"),
  ECDSA_P384("ECDSA-P384", 0, "secp384r1");

  private final String kubeadmName;
  private final int rsaModulusBits;
  private final String curveName;

  KeyAlgorithm(String kubeadmName, int rsaModulusBits, String curveName) {
    this.kubeadmName = kubeadmName;
    this.rsaModulusBits = rsaModulusBits;
    this.curveName = curveName;
  }

  /** Parses a kubeadm {@code encryptionAlgorithm} value; the match is exact, as in kubeadm. */
  public static KeyAlgorithm parse(String kubeadmName) {
    for (KeyAlgorithm algorithm : values()) {
      if (algorithm.kubeadmName.equals(kubeadmName)) {
        return algorithm;
      }
    }
    String valid =
        Arrays.stream(values()).map(KeyAlgorithm::kubeadmName).collect(Collectors.joining(", "));
    throw new PkiException(
        "unknown encryptionAlgorithm \"" + kubeadmName + "\": use one of " + valid);
  }

  public String kubeadmName() {
    return kubeadmName;
  }

  public boolean isRsa() {
    return curveName == null;
  }

  int rsaModulusBits() {
    return rsaModulusBits;
  }

  String curveName() {
    return curveName;
  }

  @Override
  public String toString() {
    return kubeadmName;
  }
}
