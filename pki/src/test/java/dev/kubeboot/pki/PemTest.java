package dev.kubeboot.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class PemTest {

  @ParameterizedTest(name = "a {0} private key round-trips as {1}")
  @CsvSource({
    "RSA_2048, RSA PRIVATE KEY",
    "RSA_3072, RSA PRIVATE KEY",
    "RSA_4096, RSA PRIVATE KEY",
    "ECDSA_P256, EC PRIVATE KEY",
    "ECDSA_P384, EC PRIVATE KEY"
  })
  void privateKeysRoundTrip(KeyAlgorithm algorithm, String blockType) {
    KeyPair keys = TestKeys.get(algorithm);

    String pem = Pem.encode(keys.getPrivate());
    PrivateKey decoded = Pem.decodePrivateKey(pem);

    assertThat(pem)
        .startsWith("-----BEGIN " + blockType + "-----\n")
        .endsWith("-----END " + blockType + "-----\n");
    assertThat(pem.lines().filter(l -> !l.startsWith("-----")).allMatch(l -> l.length() <= 64))
        .isTrue();
    assertThat(decoded.getEncoded()).isEqualTo(keys.getPrivate().getEncoded());
    assertThat(
            CertificateChecks.publicKeysEqual(
                CertificateChecks.publicKeyOf(decoded), keys.getPublic()))
        .isTrue();
    assertThat(Pem.encode(decoded)).isEqualTo(pem);
  }

  @ParameterizedTest(name = "a {0} public key round-trips as PUBLIC KEY")
  @EnumSource(KeyAlgorithm.class)
  void publicKeysRoundTrip(KeyAlgorithm algorithm) {
    PublicKey key = TestKeys.get(algorithm).getPublic();

    String pem = Pem.encode(key);

    assertThat(pem).startsWith("-----BEGIN PUBLIC KEY-----\n");
    assertThat(Pem.decodePublicKey(pem).getEncoded()).isEqualTo(key.getEncoded());
  }

  @ParameterizedTest(name = "a {0} key in PKCS#8 PRIVATE KEY form is accepted")
  @EnumSource(
      value = KeyAlgorithm.class,
      names = {"RSA_2048", "ECDSA_P256", "ECDSA_P384"})
  void acceptsPkcs8(KeyAlgorithm algorithm) {
    PrivateKey key = TestKeys.get(algorithm).getPrivate();
    String pkcs8 = block("PRIVATE KEY", key.getEncoded());

    assertThat(Pem.decodePrivateKey(pkcs8).getEncoded()).isEqualTo(key.getEncoded());
  }

  @Test
  void acceptsPkcs1PublicKeys() throws Exception {
    PublicKey key = TestKeys.get(KeyAlgorithm.RSA_2048).getPublic();
    byte[] pkcs1 =
        org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(key.getEncoded())
            .getPublicKeyData()
            .getOctets();

    assertThat(Pem.decodePublicKey(block("RSA PUBLIC KEY", pkcs1)).getEncoded())
        .isEqualTo(key.getEncoded());
  }

  @Test
  void certificatesAndBundlesRoundTrip() {
    CertificateIssuer issuer = new CertificateIssuer(Instant.now(), new SecureRandom());
    KeyPair keys = TestKeys.get(KeyAlgorithm.ECDSA_P256);
    X509Certificate first = issuer.selfSignedCa("first", keys, Duration.ofHours(1));
    X509Certificate second = issuer.selfSignedCa("second", keys, Duration.ofHours(1));

    String bundle = Pem.encode(List.of(first, second));

    assertThat(Pem.decodeCertificates(bundle)).containsExactly(first, second);
    assertThat(Pem.decodeCertificate(bundle)).isEqualTo(first);
    assertThat(Pem.decodeCertificates(Pem.encode(keys.getPrivate()) + Pem.encode(second)))
        .as("other blocks are skipped like Go's ParseCertsPEM")
        .containsExactly(second);
    assertThat(Pem.decodeCertificate("comment before\n" + Pem.encode(second) + "trailing text\n"))
        .isEqualTo(second);
  }

  @Test
  void keyFilesMayHoldOtherBlocksBeforeTheKey() {
    PrivateKey key = TestKeys.get(KeyAlgorithm.ECDSA_P256).getPrivate();
    String withParameters =
        block("EC PARAMETERS", new byte[] {6, 8, 42, -122, 72, -50, 61, 3, 1, 7}) + Pem.encode(key);

    assertThat(Pem.decodePrivateKey(withParameters).getEncoded()).isEqualTo(key.getEncoded());
  }

  @ParameterizedTest(name = "garbage \"{0}\" is a clear error")
  @ValueSource(
      strings = {
        "",
        "not pem at all",
        "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n",
        "-----BEGIN CERTIFICATE-----\nAAAA\n",
        "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
      })
  void garbageCertificatesAreRefused(String text) {
    assertThatThrownBy(() -> Pem.decodeCertificates(text))
        .isInstanceOf(PkiException.class)
        .message()
        .containsAnyOf(
            "no PEM CERTIFICATE block", "malformed PEM", "not a valid X.509 certificate");
  }

  @Test
  void wrongBlockTypesAreNamed() {
    String key = Pem.encode(TestKeys.get(KeyAlgorithm.ECDSA_P256).getPrivate());

    assertThatThrownBy(() -> Pem.decodeCertificates(key))
        .isInstanceOf(PkiException.class)
        .hasMessageContaining("no PEM CERTIFICATE block found (found \"EC PRIVATE KEY\")");
    assertThatThrownBy(() -> Pem.decodePublicKey(key))
        .isInstanceOf(PkiException.class)
        .hasMessageContaining("no PEM PUBLIC KEY block found (found \"EC PRIVATE KEY\")");
    assertThatThrownBy(() -> Pem.decodePrivateKey("just text"))
        .isInstanceOf(PkiException.class)
        .hasMessageContaining("holds no PEM block");
  }

  @Test
  void corruptKeysAreRefused() {
    assertThatThrownBy(
            () -> Pem.decodePrivateKey(block("RSA PRIVATE KEY", new byte[] {48, 3, 2, 1, 0})))
        .isInstanceOf(PkiException.class)
        .hasMessageContaining("RSA PRIVATE KEY block is not a valid private key");
    assertThatThrownBy(() -> Pem.decodePrivateKey(block("EC PRIVATE KEY", new byte[] {1, 2, 3})))
        .isInstanceOf(PkiException.class)
        .hasMessageContaining("EC PRIVATE KEY block is not a valid private key");
    assertThatThrownBy(() -> Pem.decodePublicKey(block("PUBLIC KEY", new byte[] {48, 0})))
        .isInstanceOf(PkiException.class)
        .hasMessageContaining("not a valid public key");
  }

  @Test
  void encryptedKeysAreRefused() {
    String legacy =
        "-----BEGIN RSA PRIVATE KEY-----\n"
            + "Proc-Type: 4,ENCRYPTED\n"
            + "DEK-Info: AES-128-CBC,00000000000000000000000000000000\n\n"
            + "AAAA\n"
            + "-----END RSA PRIVATE KEY-----\n";

    assertThatThrownBy(() -> Pem.decodePrivateKey(legacy))
        .isInstanceOf(PkiException.class)
        .hasMessageContaining("encrypted");
    assertThatThrownBy(
            () -> Pem.decodePrivateKey(block("ENCRYPTED PRIVATE KEY", new byte[] {48, 0})))
        .isInstanceOf(PkiException.class)
        .hasMessageContaining("encrypted");
  }

  private static String block(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }
}
