package dev.kubeboot.cli.config;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** {@code ClusterConfiguration.encryptionAlgorithm}: the key type of every key kubeboot makes. */
public enum EncryptionAlgorithm {
  RSA_2048("RSA-2048"),
  RSA_3072("RSA-3072"),
  RSA_4096("RSA-4096"),
  ECDSA_P256("ECDSA-P256"),
  /** Accepted by kubeadm from 1.34. */
  ECDSA_P384("ECDSA-P384");

  private final String kubeadmName;

  EncryptionAlgorithm(String kubeadmName) {
    this.kubeadmName = kubeadmName;
  }

  /** The spelling used in kubeadm config files, e.g. {@code RSA-2048}. */
  public String kubeadmName() {
    return kubeadmName;
  }

  /** The algorithm with this kubeadm spelling (exact case, as kubeadm compares). */
  public static Optional<EncryptionAlgorithm> fromKubeadmName(String name) {
    return Arrays.stream(values()).filter(a -> a.kubeadmName.equals(name)).findFirst();
  }

  static List<String> kubeadmNames() {
    return Arrays.stream(values()).map(EncryptionAlgorithm::kubeadmName).toList();
  }
}
