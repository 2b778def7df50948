package dev.kubeboot.pki;

import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/** The checks kubeadm makes before it reuses certificates and keys found on disk. */
public final class CertificateChecks {
  private static final int SAN_DNS = 2;
  private static final int SAN_IP = 7;

  private CertificateChecks() {}

  /** Throws unless {@code ca} is a CA whose subject issued {@code leaf} and whose key signed it. */
  public static void verifySignedBy(X509Certificate leaf, X509Certificate ca) {
    if (!isCa(ca)) {
      throw new PkiException(
          "certificate " + subject(ca) + " is not a CA (basicConstraints CA:true missing)");
    }
    if (!leaf.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
      throw new PkiException(
          "certificate "
              + subject(leaf)
              + " was issued by \""
              + leaf.getIssuerX500Principal().getName()
              + "\", not by CA \""
              + subject(ca)
              + "\"");
    }
    try {
      leaf.verify(ca.getPublicKey());
    } catch (GeneralSecurityException e) {
      throw new PkiException(
          "certificate "
              + subject(leaf)
              + " is not signed by the key of CA \""
              + subject(ca)
              + "\"",
          e);
    }
  }

  /**
   * The expected SANs the certificate does not cover, as "DNS:name" or "IP:address". A DNS name is
   * covered as Go's VerifyHostname covers it (kubeadm's check): by an equal DNS SAN, ignoring case
   * and a trailing dot, or by a wildcard SAN for exactly one more label.
   */
  public static List<String> missingSans(X509Certificate certificate, SubjectAltNames expected) {
    List<String> dnsSans = new ArrayList<>();
    List<InetAddress> ipSans = new ArrayList<>();
    for (List<?> san : subjectAltNames(certificate)) {
      int type = (Integer) san.get(0);
      Object value = san.get(1);
      if (type == SAN_DNS && value instanceof String dns) {
        dnsSans.add(dns);
      } else if (type == SAN_IP && value instanceof String ip) {
        IpLiterals.parse(ip).ifPresent(ipSans::add);
      }
    }
    List<String> missing = new ArrayList<>();
    for (String name : expected.dnsNames()) {
      if (dnsSans.stream().noneMatch(san -> dnsMatches(san, name))) {
        missing.add("DNS:" + name);
      }
    }
    for (InetAddress ip : expected.ipAddresses()) {
      if (!ipSans.contains(ip)) {
        missing.add("IP:" + ip.getHostAddress());
      }
    }
    return List.copyOf(missing);
  }

  /** Whether the private key is the other half of the certificate's public key. */
  public static boolean keyMatches(X509Certificate certificate, PrivateKey key) {
    return publicKeysEqual(certificate.getPublicKey(), publicKeyOf(key));
  }

  /** RSA by modulus and exponent, EC by point and curve, so key implementations do not matter. */
  public static boolean publicKeysEqual(PublicKey a, PublicKey b) {
    if (a instanceof RSAPublicKey ra && b instanceof RSAPublicKey rb) {
      return ra.getModulus().equals(rb.getModulus())
          && ra.getPublicExponent().equals(rb.getPublicExponent());
    }
    if (a instanceof ECPublicKey ea && b instanceof ECPublicKey eb) {
      return ea.getW().equals(eb.getW())
          && ea.getParams().getOrder().equals(eb.getParams().getOrder())
          && ea.getParams().getCurve().equals(eb.getParams().getCurve());
    }
    return Arrays.equals(a.getEncoded(), b.getEncoded());
  }

  /** The public half of a private key (RSA keys must carry their CRT fields, as PEM keys do). */
  public static PublicKey publicKeyOf(PrivateKey key) {
    if (key instanceof RSAPrivateCrtKey rsa) {
      try {
        return KeyFactory.getInstance("RSA")
            .generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
      } catch (GeneralSecurityException e) {
        throw new PkiException("cannot derive the public key of an RSA private key: " + e, e);
      }
    }
    if (key instanceof ECPrivateKey ec) {
      return EcKeys.publicKeyOf(ec);
    }
    throw new PkiException(
        "cannot derive a public key from a "
            + key.getAlgorithm()
            + " private key without CRT fields");
  }

  /** Go's IsCA: basicConstraints present with CA:true. */
  public static boolean isCa(X509Certificate certificate) {
    return certificate.getBasicConstraints() != -1;
  }

  public static Instant notBefore(X509Certificate certificate) {
    return certificate.getNotBefore().toInstant();
  }

  public static Instant notAfter(X509Certificate certificate) {
    return certificate.getNotAfter().toInstant();
  }

  /** Time left until expiry; negative once expired. */
  public static Duration residualTime(X509Certificate certificate, Instant now) {
    return Duration.between(now, notAfter(certificate));
  }

  public static boolean isValidAt(X509Certificate certificate, Instant instant) {
    return !instant.isBefore(notBefore(certificate)) && !instant.isAfter(notAfter(certificate));
  }

  /** Whether the leaf stays valid after its CA expires (kubeadm warns, it does not cap). */
  public static boolean outlivesIssuer(X509Certificate leaf, X509Certificate ca) {
    return notAfter(leaf).isAfter(notAfter(ca));
  }

  /** The subject's CN, else the whole subject, for messages. */
  static String subject(X509Certificate certificate) {
    X500Name name = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
    RDN[] commonNames = name.getRDNs(BCStyle.CN);
    if (commonNames.length > 0) {
      return IETFUtils.valueToString(commonNames[0].getFirst().getValue());
    }
    return certificate.getSubjectX500Principal().getName();
  }

  private static Collection<List<?>> subjectAltNames(X509Certificate certificate) {
    try {
      return Optional.ofNullable(certificate.getSubjectAlternativeNames()).orElse(List.of());
    } catch (CertificateParsingException e) {
      throw new PkiException(
          "the SAN extension of certificate " + subject(certificate) + " is malformed", e);
    }
  }

  private static boolean dnsMatches(String san, String host) {
    String pattern = withoutTrailingDot(san.toLowerCase(Locale.ROOT));
    String name = withoutTrailingDot(host.toLowerCase(Locale.ROOT));
    if (pattern.equals(name)) {
      return true;
    }
    if (!pattern.startsWith("*.") || name.startsWith("*")) {
      return false;
    }
    int firstDot = name.indexOf('.');
    return firstDot > 0 && name.substring(firstDot).equals(pattern.substring(1));
  }

  private static String withoutTrailingDot(String name) {
    return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
  }
}
