package dev.kubeboot.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.net.InetAddress;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class CertificateIssuerTest {
  static final Instant START = Instant.parse("2026-03-01T10:15:30.987654321Z");
  static final Duration CA_VALIDITY = Duration.ofHours(87600);
  static final Duration LEAF_VALIDITY = Duration.ofHours(8760);
  private static final String KEY_USAGE = "2.5.29.15";
  private static final String BASIC_CONSTRAINTS = "2.5.29.19";
  private static final String EXT_KEY_USAGE = "2.5.29.37";
  private static final String SAN = "2.5.29.17";
  private static final String SKI = "2.5.29.14";
  private static final String AKI = "2.5.29.35";
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

  /** Issues the whole table: CAs get their own keys, leaves share one key to keep tests fast. */
  static Map<String, X509Certificate> issueTable(
      CertificateIssuer issuer, KeyAlgorithm algorithm, List<KubeadmCert> table) {
    Map<String, X509Certificate> certificates = new HashMap<>();
    Map<String, CertificateAuthority> cas = new HashMap<>();
    int caIndex = 1;
    for (KubeadmCert cert : table) {
      if (cert.isCa()) {
        KeyPair keys = TestKeys.get(algorithm, caIndex++);
        X509Certificate ca = issuer.selfSignedCa(cert.spec().commonName(), keys, CA_VALIDITY);
        cas.put(cert.name(), new CertificateAuthority(ca, keys.getPrivate()));
        certificates.put(cert.name(), ca);
      } else {
        certificates.put(
            cert.name(),
            issuer.issue(
                cert.spec(),
                TestKeys.get(algorithm).getPublic(),
                cas.get(cert.caName()),
                LEAF_VALIDITY));
      }
    }
    return certificates;
  }

  @ParameterizedTest(name = "the kubeadm table issued with {0} has kubeadm's contents")
  @EnumSource(
      value = KeyAlgorithm.class,
      names = {"RSA_2048", "ECDSA_P256"})
  void issuesTheWholeTable(KeyAlgorithm algorithm) throws Exception {
    List<KubeadmCert> table = KubeadmCerts.table(KubeadmCertsTest.inputs(), w -> {});
    Map<String, X509Certificate> certificates =
        issueTable(new CertificateIssuer(START, new SecureRandom()), algorithm, table);

    for (KubeadmCert row : table) {
      X509Certificate cert = certificates.get(row.name());
      CertificateSpec spec = row.spec();
      assertThat(subjectOf(cert)).as(row.name()).isEqualTo(expectedSubject(spec));
      assertThat(sansOf(cert)).as(row.name()).isEqualTo(spec.subjectAltNames());
      assertThat(cert.getNotBefore().toInstant())
          .isEqualTo(START.minus(Duration.ofMinutes(5)).truncatedTo(ChronoUnit.SECONDS));
      assertThat(cert.getSerialNumber())
          .isPositive()
          .isLessThan(BigInteger.ONE.shiftLeft(63).subtract(BigInteger.ONE));
      assertThat(cert.getSigAlgName())
          .isEqualTo(algorithm.isRsa() ? "SHA256withRSA" : "SHA256withECDSA");
      assertThat(cert.getCriticalExtensionOIDs())
          .containsExactlyInAnyOrder(KEY_USAGE, BASIC_CONSTRAINTS);
      if (row.isCa()) {
        assertThat(cert.getKeyUsage())
            .containsExactly(true, false, true, false, false, true, false, false, false);
        assertThat(cert.getBasicConstraints()).isEqualTo(Integer.MAX_VALUE);
        assertThat(cert.getExtendedKeyUsage()).isNull();
        assertThat(cert.getNonCriticalExtensionOIDs()).containsExactlyInAnyOrder(SKI, SAN);
        assertThat(cert.getNotAfter().toInstant())
            .isEqualTo(START.plus(CA_VALIDITY).truncatedTo(ChronoUnit.SECONDS));
        assertThat(cert.getIssuerX500Principal()).isEqualTo(cert.getSubjectX500Principal());
        cert.verify(cert.getPublicKey());
      } else {
        X509Certificate ca = certificates.get(row.caName());
        assertThat(cert.getKeyUsage())
            .containsExactly(true, false, true, false, false, false, false, false, false);
        assertThat(cert.getBasicConstraints()).isEqualTo(-1);
        assertThat(cert.getExtensionValue(BASIC_CONSTRAINTS)).as("CA:FALSE is written").isNotNull();
        assertThat(cert.getExtendedKeyUsage()).isEqualTo(expectedUsages(spec));
        assertThat(cert.getNonCriticalExtensionOIDs())
            .containsExactlyInAnyOrderElementsOf(
                spec.subjectAltNames().isEmpty()
                    ? List.of(EXT_KEY_USAGE, AKI)
                    : List.of(EXT_KEY_USAGE, AKI, SAN));
        assertThat(cert.getNotAfter().toInstant())
            .isEqualTo(START.plus(LEAF_VALIDITY).truncatedTo(ChronoUnit.SECONDS));
        assertThat(authorityKeyId(cert))
            .isEqualTo(CertificateIssuer.subjectKeyIdentifier(ca))
            .isNotEmpty();
        assertThat(cert.getIssuerX500Principal()).isEqualTo(ca.getSubjectX500Principal());
        validateChain(cert, ca, START);
      }
    }
  }

  @Test
  void subjectPutsOrganizationsBeforeTheCommonName() throws Exception {
    X509Certificate cert =
        clientCert(List.of("kubeadm:cluster-admins"), "kube-apiserver-kubelet-client");

    X500Name name = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
    assertThat(name.getRDNs()).hasSize(2);
    assertThat(name.getRDNs()[0].getFirst().getType()).isEqualTo(BCStyle.O);
    assertThat(name.getRDNs()[1].getFirst().getType()).isEqualTo(BCStyle.CN);
    assertThat(cert.getSubjectX500Principal().getName())
        .isEqualTo("CN=kube-apiserver-kubelet-client,O=kubeadm:cluster-admins");
  }

  @Test
  void severalOrganizationsFormOneRdnLikeGo() throws Exception {
    X509Certificate cert = clientCert(List.of("system:nodes", "team-a"), "system:node:cp-1");

    X500Name name = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
    assertThat(name.getRDNs()).hasSize(2);
    assertThat(name.getRDNs()[0].size()).isEqualTo(2);
    assertThat(name.getRDNs(BCStyle.O)[0].getTypesAndValues())
        .extracting(v -> v.getValue().toString())
        .containsExactlyInAnyOrder("system:nodes", "team-a");
  }

  @Test
  void customPeriodsAreHonouredAndNotCappedAtTheCa() throws Exception {
    CertificateIssuer issuer = new CertificateIssuer(START, new SecureRandom());
    KeyPair caKeys = TestKeys.get(KeyAlgorithm.ECDSA_P256, 1);
    X509Certificate ca = issuer.selfSignedCa("short-ca", caKeys, Duration.ofHours(1));
    X509Certificate leaf =
        issuer.issue(
            CertificateSpec.client("someone", List.of()),
            TestKeys.get(KeyAlgorithm.ECDSA_P256).getPublic(),
            new CertificateAuthority(ca, caKeys.getPrivate()),
            Duration.ofHours(2));

    assertThat(ca.getNotAfter().toInstant())
        .isEqualTo(START.plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS));
    assertThat(leaf.getNotAfter().toInstant())
        .isEqualTo(START.plus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS));
    assertThat(issuer.notAfter(Duration.ofHours(2))).isEqualTo(leaf.getNotAfter().toInstant());
    assertThat(CertificateChecks.outlivesIssuer(leaf, ca)).isTrue();
  }

  @Test
  void explicitNotBeforeIsUsedForKubeconfigClients() throws Exception {
    CertificateIssuer caIssuer =
        new CertificateIssuer(START.minus(Duration.ofDays(30)), new SecureRandom());
    KeyPair caKeys = TestKeys.get(KeyAlgorithm.ECDSA_P256, 1);
    X509Certificate ca = caIssuer.selfSignedCa("kubernetes", caKeys, CA_VALIDITY);

    X509Certificate leaf =
        new CertificateIssuer(START, new SecureRandom())
            .issue(
                CertificateSpec.client("kubernetes-admin", List.of("kubeadm:cluster-admins")),
                TestKeys.get(KeyAlgorithm.ECDSA_P256).getPublic(),
                new CertificateAuthority(ca, caKeys.getPrivate()),
                LEAF_VALIDITY,
                ca.getNotBefore().toInstant());

    assertThat(leaf.getNotBefore()).isEqualTo(ca.getNotBefore());
    assertThat(CertificateChecks.outlivesIssuer(leaf, ca)).isFalse();
  }

  @ParameterizedTest(name = "a {0} CA signs with {1}")
  @CsvSource({"RSA_3072, SHA256withRSA", "ECDSA_P384, SHA384withECDSA"})
  void signatureAlgorithmFollowsTheCaKey(KeyAlgorithm algorithm, String signature)
      throws Exception {
    CertificateIssuer issuer = new CertificateIssuer(START, new SecureRandom());
    KeyPair caKeys = TestKeys.get(algorithm);
    X509Certificate ca = issuer.selfSignedCa("ca", caKeys, CA_VALIDITY);
    X509Certificate leaf =
        issuer.issue(
            CertificateSpec.client("c", List.of()),
            TestKeys.get(KeyAlgorithm.ECDSA_P256).getPublic(),
            new CertificateAuthority(ca, caKeys.getPrivate()),
            LEAF_VALIDITY);

    assertThat(ca.getSigAlgName()).isEqualTo(signature);
    assertThat(leaf.getSigAlgName()).isEqualTo(signature);
    validateChain(leaf, ca, START);
  }

  @Test
  void serialsDiffer() throws Exception {
    CertificateIssuer issuer = new CertificateIssuer(START, new SecureRandom());
    KeyPair keys = TestKeys.get(KeyAlgorithm.ECDSA_P256);
    Set<BigInteger> serials = new java.util.HashSet<>();
    for (int i = 0; i < 20; i++) {
      serials.add(issuer.selfSignedCa("ca", keys, CA_VALIDITY).getSerialNumber());
    }
    assertThat(serials).hasSize(20);
  }

  @Test
  void aCaKeyThatDoesNotMatchItsCertificateIsRefused() throws Exception {
    CertificateIssuer issuer = new CertificateIssuer(START, new SecureRandom());
    X509Certificate ca =
        issuer.selfSignedCa("ca", TestKeys.get(KeyAlgorithm.ECDSA_P256, 1), CA_VALIDITY);
    CertificateAuthority mismatched =
        new CertificateAuthority(ca, TestKeys.get(KeyAlgorithm.ECDSA_P256, 2).getPrivate());

    assertThatThrownBy(
            () ->
                issuer.issue(
                    CertificateSpec.client("c", List.of()),
                    TestKeys.get(KeyAlgorithm.ECDSA_P256).getPublic(),
                    mismatched,
                    LEAF_VALIDITY))
        .isInstanceOf(PkiException.class)
        .hasMessageContaining("does not belong to the CA certificate");
  }

  @Test
  void invalidRequestsAreRefused() throws Exception {
    CertificateIssuer issuer = new CertificateIssuer(START, new SecureRandom());
    KeyPair keys = TestKeys.get(KeyAlgorithm.ECDSA_P256, 1);
    X509Certificate ca = issuer.selfSignedCa("ca", keys, CA_VALIDITY);
    CertificateAuthority authority = new CertificateAuthority(ca, keys.getPrivate());
    CertificateSpec noUsage = new CertificateSpec("x", List.of(), Set.of(), SubjectAltNames.none());

    assertThatThrownBy(() -> issuer.issue(noUsage, keys.getPublic(), authority, LEAF_VALIDITY))
        .isInstanceOf(PkiException.class)
        .hasMessageContaining("extended key usage");
    assertThatThrownBy(() -> issuer.selfSignedCa("ca", keys, Duration.ZERO))
        .isInstanceOf(PkiException.class)
        .hasMessageContaining("must be positive");
    assertThatThrownBy(() -> issuer.selfSignedCa(" ", keys, CA_VALIDITY))
        .isInstanceOf(PkiException.class)
        .hasMessageContaining("common name");
  }

  private static X509Certificate clientCert(List<String> organizations, String commonName) {
    CertificateIssuer issuer = new CertificateIssuer(START, new SecureRandom());
    KeyPair caKeys = TestKeys.get(KeyAlgorithm.ECDSA_P256, 1);
    X509Certificate ca = issuer.selfSignedCa("kubernetes", caKeys, CA_VALIDITY);
    return issuer.issue(
        CertificateSpec.client(commonName, organizations),
        TestKeys.get(KeyAlgorithm.ECDSA_P256).getPublic(),
        new CertificateAuthority(ca, caKeys.getPrivate()),
        LEAF_VALIDITY);
  }

  static void validateChain(X509Certificate leaf, X509Certificate ca, Instant at) throws Exception {
    CertPath path = CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf));
    PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
    parameters.setRevocationEnabled(false);
    parameters.setDate(Date.from(at));
    CertPathValidator.getInstance("PKIX").validate(path, parameters);
  }

  private static X500Principal subjectOf(X509Certificate cert) {
    return cert.getSubjectX500Principal();
  }

  private static X500Principal expectedSubject(CertificateSpec spec) {
    StringBuilder name = new StringBuilder("CN=" + spec.commonName());
    for (String organization : spec.organizations()) {
      name.append(",O=").append(organization);
    }
    return new X500Principal(name.toString());
  }

  private static List<String> expectedUsages(CertificateSpec spec) {
    List<String> usages = new ArrayList<>();
    if (spec.extendedKeyUsages().contains(ExtendedKeyUsage.SERVER_AUTH)) {
      usages.add(SERVER_AUTH);
    }
    if (spec.extendedKeyUsages().contains(ExtendedKeyUsage.CLIENT_AUTH)) {
      usages.add(CLIENT_AUTH);
    }
    return usages;
  }

  static SubjectAltNames sansOf(X509Certificate cert) throws Exception {
    List<String> dns = new ArrayList<>();
    List<InetAddress> ips = new ArrayList<>();
    if (cert.getSubjectAlternativeNames() != null) {
      for (List<?> san : cert.getSubjectAlternativeNames()) {
        switch ((Integer) san.get(0)) {
          case 2 -> dns.add((String) san.get(1));
          case 7 -> ips.add(InetAddress.getByName((String) san.get(1)));
          default -> throw new AssertionError("unexpected SAN " + san);
        }
      }
    }
    return new SubjectAltNames(dns, ips);
  }

  private static byte[] authorityKeyId(X509Certificate cert) {
    byte[] value = cert.getExtensionValue(AKI);
    return AuthorityKeyIdentifier.getInstance(ASN1OctetString.getInstance(value).getOctets())
        .getKeyIdentifierObject()
        .getOctets();
  }
}
