package dev.kubeboot.cli.cluster;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The key that encrypts the certificates uploaded to {@code kube-system/kubeadm-certs}: 32 random
 * bytes, handed around as 64 lower-case hex characters ({@code --certificate-key}). {@link
 * #toString} withholds it; {@link #hex} is the one way to print it.
 */
public final class CertificateKey {
  /** kubeadm's CertificateKeySize. */
  public static final int SIZE = 32;

  private final byte[] bytes;

  private CertificateKey(byte[] bytes) {
    this.bytes = bytes.clone();
  }

  public static CertificateKey generate(SecureRandom random) {
    byte[] bytes = new byte[SIZE];
    random.nextBytes(bytes);
    return new CertificateKey(bytes);
  }

  /** The key in {@code text}, or empty when it is not 64 hex characters. */
  public static Optional<CertificateKey> parse(String text) {
    if (text == null || !text.matches("[0-9a-fA-F]{64}")) {
      return Optional.empty();
    }
    return Optional.of(new CertificateKey(HexFormat.of().parseHex(text)));
  }

  /** What a bad key is told: kubeadm's format, and how to make a good one. */
  public static String formatProblem(String source) {
    return source
        + " must be 64 hexadecimal characters (a 32-byte AES-256 key); generate one with"
        + " \"kubeboot certs certificate-key\"";
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  public String hex() {
    return HexFormat.of().formatHex(bytes);
  }

  @Override
  public String toString() {
    return "CertificateKey[withheld]";
  }
}
