package dev.kubeboot.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** kubeadm's AES-256-GCM layout, checked against Python's cryptography (Debian's OpenSSL). */
class CertsCipherTest {
  private static final Path PYTHON = Path.of("/usr/bin/python3");
  private static final String KEY =
      "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

  @TempDir Path dir;

  @Test
  void theLayoutIsNonceThenCiphertextThenTag() {
    byte[] plain = "-----BEGIN CERTIFICATE-----\n".getBytes(StandardCharsets.UTF_8);
    byte[] sealed = cipher().encrypt(plain);
    assertThat(sealed).hasSize(12 + plain.length + 16);
    assertThat(cipher().decrypt(sealed)).isEqualTo(plain);
    assertThat(cipher().encrypt(plain)).as("a fresh nonce each time").isNotEqualTo(sealed);
  }

  @Test
  void anIndependentAesGcmOpensWhatWeSealAndWeOpenWhatItSeals() throws Exception {
    assumeTrue(Files.isExecutable(PYTHON), "/usr/bin/python3 (python3-cryptography) is missing");
    byte[] plain = "the CA key\n".getBytes(StandardCharsets.UTF_8);
    Path sealed = dir.resolve("sealed");
    Files.write(sealed, cipher().encrypt(plain));
    String script =
        """
        import sys
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM
        key = bytes.fromhex(sys.argv[1])
        data = open(sys.argv[2], 'rb').read()
        sys.stdout.write(AESGCM(key).decrypt(data[:12], data[12:], None).decode())
        nonce = bytes(range(12))
        open(sys.argv[3], 'wb').write(nonce + AESGCM(key).encrypt(nonce, b'from python', None))
        """;
    Path theirs = dir.resolve("theirs");
    Process p =
        new ProcessBuilder(
                PYTHON.toString(), "-c", script, KEY, sealed.toString(), theirs.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).isEqualTo("the CA key\n");
    assertThat(new String(cipher().decrypt(Files.readAllBytes(theirs)), StandardCharsets.UTF_8))
        .isEqualTo("from python");
  }

  @Test
  void anotherKeyOrATamperedByteDoesNotOpen() {
    byte[] sealed = cipher().encrypt("secret".getBytes(StandardCharsets.UTF_8));
    var other = new CertsCipher(CertificateKey.generate(new SecureRandom()), new SecureRandom());
    assertThatThrownBy(() -> other.decrypt(sealed))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not decrypt with this certificate key");
    byte[] tampered = Arrays.copyOf(sealed, sealed.length);
    tampered[14] ^= 1;
    assertThatThrownBy(() -> cipher().decrypt(tampered))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> cipher().decrypt(new byte[10])).hasMessageContaining("too short");
  }

  @ParameterizedTest(name = "\"{0}\" is not a certificate key")
  @ValueSource(
      strings = {
        "",
        "0011",
        "00112233445566778899aabbccddeeff00112233445566778899aabbccddeefg",
        "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff00"
      })
  void malformedKeysAreRefused(String text) {
    assertThat(CertificateKey.parse(text)).isEmpty();
  }

  @Test
  void aGeneratedKeyIs64LowerCaseHexCharactersAndItsStringHidesIt() {
    CertificateKey key = CertificateKey.generate(new SecureRandom());
    assertThat(key.hex()).matches("[0-9a-f]{64}");
    assertThat(key.toString()).doesNotContain(key.hex());
    assertThat(CertificateKey.parse(KEY.toUpperCase()).orElseThrow().hex()).isEqualTo(KEY);
    assertThat(HexFormat.of().parseHex(KEY)).hasSize(CertificateKey.SIZE);
  }

  private static CertsCipher cipher() {
    return new CertsCipher(CertificateKey.parse(KEY).orElseThrow(), new SecureRandom());
  }
}
