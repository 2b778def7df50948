package dev.kubeboot.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CertificateChecksTest {
  private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");
  private static CertificateAuthority ca;
  private static CertificateAuthority otherCa;
  private static X509Certificate server;

  @BeforeAll
  static void issue() throws Exception {
    CertificateIssuer issuer = new CertificateIssuer(START, new SecureRandom());
    KeyPair caKeys = TestKeys.get(KeyAlgorithm.RSA_2048, 1);
    KeyPair otherKeys = TestKeys.get(KeyAlgorithm.ECDSA_P256, 1);
    ca =
        new CertificateAuthority(
            issuer.selfSignedCa("kubernetes", caKeys, Duration.ofDays(3650)), caKeys.getPrivate());
    otherCa =
        new CertificateAuthority(
            issuer.selfSignedCa("kubernetes", otherKeys, Duration.ofDays(3650)),
            otherKeys.getPrivate());
    SubjectAltNames sans =
        new SubjectAltNames(
            List.of("cp-1", "*.example.com", "Kubernetes.Default."),
            List.of(InetAddress.getByName("10.96.0.1"), InetAddress.getByName("fd00::1")));
    server =
        issuer.issue(
            new CertificateSpec(
                "kube-apiserver", List.of(), Set.of(ExtendedKeyUsage.SERVER_AUTH), sans),
            TestKeys.get(KeyAlgorithm.RSA_2048).getPublic(),
            ca,
            Duration.ofDays(365));
  }

  @Test
  void acceptsTheSigningCa() {
    assertThatCode(() -> CertificateChecks.verifySignedBy(server, ca.certificate()))
        .doesNotThrowAnyException();
  }

  @Test
  void refusesAnotherCaWithTheSameName() {
    assertThatThrownBy(() -> CertificateChecks.verifySignedBy(server, otherCa.certificate()))
        .isInstanceOf(PkiException.class)
        .hasMessageContaining("kube-apiserver is not signed by the key of CA \"kubernetes\"");
  }

  @Test
  void refusesALeafAsCa() {
    assertThatThrownBy(() -> CertificateChecks.verifySignedBy(server, server))
        .isInstanceOf(PkiException.class)
        .hasMessageContaining("is not a CA");
  }

  @Test
  void reportsMissingSansLikeGoVerifyHostname() throws Exception {
    SubjectAltNames expected =
        new SubjectAltNames(
            List.of(
                "cp-1",
                "CP-1",
                "api.example.com",
                "a.b.example.com",
                "kubernetes.default",
                "*.example.com",
                "cp-2"),
            List.of(
                InetAddress.getByName("10.96.0.1"),
                InetAddress.getByName("fd00:0::1"),
                InetAddress.getByName("192.168.56.10")));

    assertThat(CertificateChecks.missingSans(server, expected))
        .containsExactly("DNS:a.b.example.com", "DNS:cp-2", "IP:192.168.56.10");
  }

  @Test
  void nothingIsMissingWhenTheSansAreCovered() {
    assertThat(CertificateChecks.missingSans(server, SubjectAltNames.dns("cp-1"))).isEmpty();
    assertThat(CertificateChecks.missingSans(ca.certificate(), SubjectAltNames.none())).isEmpty();
  }

  @Test
  void matchesKeysToCertificates() {
    assertThat(
            CertificateChecks.keyMatches(server, TestKeys.get(KeyAlgorithm.RSA_2048).getPrivate()))
        .isTrue();
    assertThat(
            CertificateChecks.keyMatches(
                server, TestKeys.get(KeyAlgorithm.RSA_2048, 1).getPrivate()))
        .isFalse();
    assertThat(
            CertificateChecks.keyMatches(
                otherCa.certificate(), TestKeys.get(KeyAlgorithm.ECDSA_P256, 1).getPrivate()))
        .isTrue();
    assertThat(
            CertificateChecks.keyMatches(
                otherCa.certificate(), TestKeys.get(KeyAlgorithm.ECDSA_P256, 0).getPrivate()))
        .isFalse();
    assertThat(
            CertificateChecks.keyMatches(
                otherCa.certificate(), TestKeys.get(KeyAlgorithm.RSA_2048).getPrivate()))
        .isFalse();
  }

  @Test
  void derivesPublicKeysFromPrivateKeysAsForSaPub() {
    for (KeyAlgorithm algorithm :
        List.of(KeyAlgorithm.RSA_2048, KeyAlgorithm.ECDSA_P256, KeyAlgorithm.ECDSA_P384)) {
      KeyPair keys = TestKeys.get(algorithm);
      assertThat(CertificateChecks.publicKeyOf(keys.getPrivate()).getEncoded())
          .isEqualTo(keys.getPublic().getEncoded());
      assertThat(
              CertificateChecks.publicKeysEqual(
                  Pem.decodePublicKey(Pem.encode(keys.getPublic())),
                  CertificateChecks.publicKeyOf(
                      Pem.decodePrivateKey(Pem.encode(keys.getPrivate())))))
          .isTrue();
    }
  }

  @Test
  void tellsCasAndExpiry() {
    assertThat(CertificateChecks.isCa(ca.certificate())).isTrue();
    assertThat(CertificateChecks.isCa(server)).isFalse();
    assertThat(CertificateChecks.notAfter(server)).isEqualTo(START.plus(Duration.ofDays(365)));
    assertThat(CertificateChecks.notBefore(server)).isEqualTo(START.minus(Duration.ofMinutes(5)));
    assertThat(CertificateChecks.residualTime(server, START)).isEqualTo(Duration.ofDays(365));
    assertThat(CertificateChecks.residualTime(server, START.plus(Duration.ofDays(366))))
        .isNegative();
    assertThat(CertificateChecks.isValidAt(server, START.minus(Duration.ofMinutes(4)))).isTrue();
    assertThat(CertificateChecks.isValidAt(server, START.minus(Duration.ofMinutes(6)))).isFalse();
    assertThat(CertificateChecks.isValidAt(server, START.plus(Duration.ofDays(366)))).isFalse();
    assertThat(CertificateChecks.outlivesIssuer(server, ca.certificate())).isFalse();
  }
}
