package dev.kubeboot.pki;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Issues certificates the way kubeadm does: the same extensions, criticality, subject layout,
 * serial range, backdating and signature algorithms as Go's crypto/x509 gives kubeadm.
 *
 * <p>All certificates of one issuer share one start time, so a whole {@code certs} phase is
 * backdated alike. Validity is stored with whole seconds, so both bounds are truncated to seconds.
 */
public final class CertificateIssuer {
  /** kubeadm's CertificateBackdate: tolerates clocks a little behind the issuing node. */
  public static final Duration BACKDATE = Duration.ofMinutes(5);

  private static final BigInteger SERIAL_BOUND =
      BigInteger.ONE.shiftLeft(63).subtract(BigInteger.ONE);

  private final Instant startTime;
  private final SecureRandom random;

  public CertificateIssuer(Instant startTime, SecureRandom random) {
    this.startTime = Objects.requireNonNull(startTime, "startTime");
    this.random = Objects.requireNonNull(random, "random");
  }

  /** NotBefore of every certificate issued without an explicit one: start time - 5 minutes. */
  public Instant notBefore() {
    return startTime.minus(BACKDATE).truncatedTo(ChronoUnit.SECONDS);
  }

  /** NotAfter for a validity period: start time + period, not capped at any CA's expiry. */
  public Instant notAfter(Duration validity) {
    requirePositive(validity);
    return startTime.plus(validity).truncatedTo(ChronoUnit.SECONDS);
  }

  /**
   * A self-signed kubeadm CA: keyUsage digitalSignature, keyEncipherment, keyCertSign (critical),
   * basicConstraints CA:true (critical), a subject key identifier and one DNS SAN equal to the CN.
   */
  public X509Certificate selfSignedCa(String commonName, KeyPair keys, Duration validity) {
    if (commonName == null || commonName.isBlank()) {
      throw new PkiException("a CA certificate needs a non-empty common name");
    }
    X500Name subject = subject(commonName, List.of());
    SubjectPublicKeyInfo publicKey =
        SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded());
    X509v3CertificateBuilder builder =
        new X509v3CertificateBuilder(
            subject,
            serial(),
            Date.from(notBefore()),
            Date.from(notAfter(validity)),
            subject,
            publicKey);
    try {
      builder.addExtension(
          Extension.keyUsage,
          true,
          new KeyUsage(
              KeyUsage.digitalSignature | KeyUsage.keyEncipherment | KeyUsage.keyCertSign));
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      builder.addExtension(
          Extension.subjectKeyIdentifier,
          false,
          extensionUtils().createSubjectKeyIdentifier(publicKey));
      builder.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(new GeneralName(GeneralName.dNSName, commonName)));
    } catch (IOException e) {
      throw new PkiException("cannot encode the extensions of CA " + commonName + ": " + e, e);
    }
    return sign(builder, keys.getPrivate(), keys.getPublic(), commonName);
  }

  /** A leaf certificate signed by {@code ca}, valid from {@link #notBefore()}. */
  public X509Certificate issue(
      CertificateSpec spec, PublicKey key, CertificateAuthority ca, Duration validity) {
    return issue(spec, key, ca, validity, notBefore());
  }

  /**
   * A leaf certificate with an explicit NotBefore (kubeconfig client certificates take their CA's
   * NotBefore). keyUsage digitalSignature, keyEncipherment (critical, for RSA and ECDSA alike),
   * basicConstraints CA:false (critical, as Go writes it), the spec's extended key usages and SANs,
   * and the CA's subject key identifier as authority key identifier.
   */
  public X509Certificate issue(
      CertificateSpec spec,
      PublicKey key,
      CertificateAuthority ca,
      Duration validity,
      Instant notBefore) {
    if (spec.extendedKeyUsages().isEmpty()) {
      throw new PkiException(
          "certificate " + spec.commonName() + " needs at least one extended key usage");
    }
    X509Certificate caCertificate = ca.certificate();
    X500Name issuer = X500Name.getInstance(caCertificate.getSubjectX500Principal().getEncoded());
    X509v3CertificateBuilder builder =
        new X509v3CertificateBuilder(
            issuer,
            serial(),
            Date.from(notBefore.truncatedTo(ChronoUnit.SECONDS)),
            Date.from(notAfter(validity)),
            subject(spec.commonName(), spec.organizations()),
            SubjectPublicKeyInfo.getInstance(key.getEncoded()));
    try {
      builder.addExtension(
          Extension.keyUsage,
          true,
          new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      builder.addExtension(
          Extension.extendedKeyUsage, false, extendedKeyUsage(spec.extendedKeyUsages()));
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      byte[] caKeyId = subjectKeyIdentifier(caCertificate);
      if (caKeyId != null) {
        builder.addExtension(
            Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(caKeyId));
      }
      if (!spec.subjectAltNames().isEmpty()) {
        builder.addExtension(
            Extension.subjectAlternativeName, false, generalNames(spec.subjectAltNames()));
      }
    } catch (IOException e) {
      throw new PkiException(
          "cannot encode the extensions of certificate " + spec.commonName() + ": " + e, e);
    }
    return sign(builder, ca.privateKey(), caCertificate.getPublicKey(), spec.commonName());
  }

  /** Uniform in [1, 2^63 - 1), like kubeadm's serials. */
  private BigInteger serial() {
    while (true) {
      BigInteger candidate = new BigInteger(63, random);
      if (candidate.signum() > 0 && candidate.compareTo(SERIAL_BOUND) < 0) {
        return candidate;
      }
    }
  }

  /**
   * Go's pkix.Name order: the organizations (one multi-valued RDN) before the common name;
   * PrintableString when Go would choose it, else UTF8String.
   */
  static X500Name subject(String commonName, List<String> organizations) {
    X500NameBuilder builder = new X500NameBuilder(BCStyle.INSTANCE);
    if (!organizations.isEmpty()) {
      List<AttributeTypeAndValue> values = new ArrayList<>();
      for (String organization : organizations) {
        values.add(new AttributeTypeAndValue(BCStyle.O, directoryString(organization)));
      }
      builder.addMultiValuedRDN(values.toArray(AttributeTypeAndValue[]::new));
    }
    builder.addRDN(new AttributeTypeAndValue(BCStyle.CN, directoryString(commonName)));
    return builder.build();
  }

  private static ASN1Encodable directoryString(String value) {
    return isGoPrintable(value) ? new DERPrintableString(value) : new DERUTF8String(value);
  }

  /** Go's isPrintable: the PrintableString alphabet plus '*' and '&', which Go tolerates. */
  private static boolean isGoPrintable(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || " '()+,-./:=?*&".indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static org.bouncycastle.asn1.x509.ExtendedKeyUsage extendedKeyUsage(
      Set<ExtendedKeyUsage> usages) {
    KeyPurposeId[] purposes =
        usages.stream()
            .map(
                usage ->
                    switch (usage) {
                      case SERVER_AUTH -> KeyPurposeId.id_kp_serverAuth;
                      case CLIENT_AUTH -> KeyPurposeId.id_kp_clientAuth;
                    })
            .toArray(KeyPurposeId[]::new);
    return new org.bouncycastle.asn1.x509.ExtendedKeyUsage(purposes);
  }

  static GeneralNames generalNames(SubjectAltNames names) {
    List<GeneralName> general = new ArrayList<>();
    for (String dns : names.dnsNames()) {
      general.add(new GeneralName(GeneralName.dNSName, dns));
    }
    for (InetAddress ip : names.ipAddresses()) {
      general.add(new GeneralName(GeneralName.iPAddress, new DEROctetString(ip.getAddress())));
    }
    return new GeneralNames(general.toArray(GeneralName[]::new));
  }

  static byte[] subjectKeyIdentifier(X509Certificate certificate) {
    byte[] extension = certificate.getExtensionValue(Extension.subjectKeyIdentifier.getId());
    if (extension == null) {
      return null;
    }
    byte[] inner = ASN1OctetString.getInstance(extension).getOctets();
    return SubjectKeyIdentifier.getInstance(inner).getKeyIdentifier();
  }

  private static JcaX509ExtensionUtils extensionUtils() {
    try {
      return new JcaX509ExtensionUtils();
    } catch (GeneralSecurityException e) {
      throw new PkiException("this JDK offers no SHA-1 for subject key identifiers: " + e, e);
    }
  }

  private static X509Certificate sign(
      X509v3CertificateBuilder builder,
      PrivateKey signerKey,
      PublicKey signerPublicKey,
      String commonName) {
    X509Certificate certificate;
    try {
      ContentSigner signer =
          new JcaContentSignerBuilder(signatureAlgorithm(signerKey)).build(signerKey);
      X509CertificateHolder holder = builder.build(signer);
      certificate = new JcaX509CertificateConverter().getCertificate(holder);
    } catch (OperatorCreationException | CertificateException e) {
      throw new PkiException("cannot sign certificate " + commonName + ": " + e.getMessage(), e);
    }
    try {
      certificate.verify(signerPublicKey);
    } catch (GeneralSecurityException e) {
      throw new PkiException(
          "the signature on certificate "
              + commonName
              + " does not verify with the CA certificate's public key: the CA private key does"
              + " not belong to the CA certificate",
          e);
    }
    return certificate;
  }

  /** What Go picks for the signer's key: SHA-256 for RSA, the curve's own hash for ECDSA. */
  static String signatureAlgorithm(PrivateKey signerKey) {
    if (signerKey instanceof RSAPrivateKey) {
      return "SHA256withRSA";
    }
    if (signerKey instanceof ECPrivateKey ec) {
      int fieldSize = ec.getParams().getCurve().getField().getFieldSize();
      return switch (fieldSize) {
        case 256 -> "SHA256withECDSA";
        case 384 -> "SHA384withECDSA";
        case 521 -> "SHA512withECDSA";
        default ->
            throw new PkiException("unsupported EC curve size " + fieldSize + " for a CA key");
      };
    }
    throw new PkiException(
        "unsupported CA key algorithm "
            + signerKey.getAlgorithm()
            + ": kubeadm CAs use RSA or ECDSA");
  }

  private static void requirePositive(Duration validity) {
    if (validity == null || validity.isNegative() || validity.isZero()) {
      throw new PkiException("a certificate validity period must be positive, got " + validity);
    }
  }
}
