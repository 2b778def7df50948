package dev.kubeboot.pki;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import org.bouncycastle.asn1.x509.Certificate;

/**
 * kubeadm's public key pins ({@code --discovery-token-ca-cert-hash}): {@code sha256:} and the
 * lower-case hex SHA-256 of a certificate's DER SubjectPublicKeyInfo, exactly the bytes the
 * certificate carries (Go's {@code RawSubjectPublicKeyInfo}), not a re-encoding of the key.
 */
public final class PublicKeyPins {
  /** The only format kubeadm pins with. */
  public static final String SHA256 = "sha256";

  private PublicKeyPins() {}

  /** The pin of {@code certificate}'s public key, e.g. {@code sha256:7f3e...}. */
  public static String sha256(X509Certificate certificate) {
    byte[] spki;
    try {
      spki =
          Certificate.getInstance(certificate.getEncoded()).getSubjectPublicKeyInfo().getEncoded();
    } catch (CertificateEncodingException | java.io.IOException e) {
      throw new PkiException(
          "cannot read the public key of certificate "
              + certificate.getSubjectX500Principal().getName()
              + ": "
              + e.getMessage(),
          e);
    }
    try {
      return SHA256
          + ":"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(spki));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /**
   * A pin as a user writes it, normalised as kubeadm stores it ({@code SHA256:ABCD...} becomes
   * {@code sha256:abcd...}); empty when it is not {@code sha256:} and 64 hex characters.
   */
  public static Optional<String> parse(String pin) {
    String[] parts = pin.split(":", -1);
    if (parts.length != 2 || !parts[0].equalsIgnoreCase(SHA256)) {
      return Optional.empty();
    }
    String hex = parts[1].toLowerCase(Locale.ROOT);
    return hex.matches("[0-9a-f]{64}") ? Optional.of(SHA256 + ":" + hex) : Optional.empty();
  }
}
