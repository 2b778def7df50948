package dev.kubeboot.cli.cluster;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * kubeadm's encryption of the uploaded certificates (util/crypto): AES-256-GCM under the
 * certificate key, a random 12-byte nonce, no additional data, laid out as {@code nonce ||
 * ciphertext || 16-byte tag}.
 */
public final class CertsCipher {
  public static final int NONCE_SIZE = 12;
  public static final int TAG_BITS = 128;

  private final CertificateKey key;
  private final SecureRandom random;

  public CertsCipher(CertificateKey key, SecureRandom random) {
    this.key = key;
    this.random = random;
  }

  public byte[] encrypt(byte[] plaintext) {
    byte[] nonce = new byte[NONCE_SIZE];
    random.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.ENCRYPT_MODE,
          new SecretKeySpec(key.bytes(), "AES"),
          new GCMParameterSpec(TAG_BITS, nonce));
      byte[] sealed = cipher.doFinal(plaintext);
      byte[] out = Arrays.copyOf(nonce, NONCE_SIZE + sealed.length);
      System.arraycopy(sealed, 0, out, NONCE_SIZE, sealed.length);
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-256-GCM is not available: " + e.getMessage(), e);
    }
  }

  /**
   * The plaintext of {@code data}.
   *
   * @throws IllegalArgumentException when the data is too short or does not open under this key
   */
  public byte[] decrypt(byte[] data) {
    if (data.length < NONCE_SIZE + TAG_BITS / 8) {
      throw new IllegalArgumentException(
          "the encrypted data is too short (" + data.length + " bytes) to hold a nonce and tag");
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.DECRYPT_MODE,
          new SecretKeySpec(key.bytes(), "AES"),
          new GCMParameterSpec(TAG_BITS, data, 0, NONCE_SIZE));
      return cipher.doFinal(data, NONCE_SIZE, data.length - NONCE_SIZE);
    } catch (AEADBadTagException e) {
      throw new IllegalArgumentException(
          "the data does not decrypt with this certificate key (wrong key, or tampered with)", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-256-GCM is not available: " + e.getMessage(), e);
    }
  }
}
