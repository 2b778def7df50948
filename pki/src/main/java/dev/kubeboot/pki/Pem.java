package dev.kubeboot.pki;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.util.io.pem.PemHeader;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * PEM as kubeadm writes and reads it. Writes certificates as CERTIFICATE, RSA private keys as
 * PKCS#1 "RSA PRIVATE KEY", EC private keys as SEC1 "EC PRIVATE KEY" (with curve and public point,
 * like Go's MarshalECPrivateKey) and public keys as PKIX "PUBLIC KEY". Reads those plus PKCS#8
 * "PRIVATE KEY" and PKCS#1 "RSA PUBLIC KEY"; other blocks in a key file (such as openssl's "EC
 * PARAMETERS") are skipped, as kubeadm does. Keys come back as plain JDK keys.
 */
public final class Pem {
  static final String CERTIFICATE = "CERTIFICATE";
  static final String RSA_PRIVATE_KEY = "RSA PRIVATE KEY";
  static final String EC_PRIVATE_KEY = "EC PRIVATE KEY";
  static final String PRIVATE_KEY = "PRIVATE KEY";
  static final String PUBLIC_KEY = "PUBLIC KEY";
  static final String RSA_PUBLIC_KEY = "RSA PUBLIC KEY";

  private Pem() {}

  public static String encode(X509Certificate certificate) {
    try {
      return block(CERTIFICATE, certificate.getEncoded());
    } catch (CertificateEncodingException e) {
      throw new PkiException(
          "cannot encode certificate " + certificate.getSubjectX500Principal() + ": " + e, e);
    }
  }

  /** Several certificates in one document, in the given order (a bundle). */
  public static String encode(List<X509Certificate> certificates) {
    return certificates.stream().map(Pem::encode).collect(Collectors.joining());
  }

  public static String encode(PrivateKey key) {
    PrivateKeyInfo info = pkcs8(key);
    try {
      if (key instanceof RSAPrivateKey) {
        return block(
            RSA_PRIVATE_KEY, info.parsePrivateKey().toASN1Primitive().getEncoded(ASN1Encoding.DER));
      }
      if (key instanceof ECPrivateKey ec) {
        ASN1ObjectIdentifier curve = EcKeys.curveOid(key);
        int orderBits = EcKeys.curve(curve).getN().bitLength();
        org.bouncycastle.asn1.sec.ECPrivateKey sec1 =
            new org.bouncycastle.asn1.sec.ECPrivateKey(
                orderBits,
                ec.getS(),
                new DERBitString(EcKeys.publicPoint(curve, ec.getS())),
                curve);
        return block(EC_PRIVATE_KEY, sec1.getEncoded(ASN1Encoding.DER));
      }
    } catch (IOException e) {
      throw new PkiException("cannot encode the " + key.getAlgorithm() + " private key: " + e, e);
    }
    throw new PkiException(
        "unsupported private key algorithm "
            + key.getAlgorithm()
            + ": kubeadm keys are RSA or ECDSA");
  }

  public static String encode(PublicKey key) {
    byte[] encoded = key.getEncoded();
    if (encoded == null || !"X.509".equals(key.getFormat())) {
      throw new PkiException(
          "the " + key.getAlgorithm() + " public key has no X.509 (PKIX) encoding");
    }
    return block(PUBLIC_KEY, encoded);
  }

  /**
   * Every CERTIFICATE block, in order; at least one. Other blocks are skipped, as Go's
   * ParseCertsPEM (kubeadm's reader) skips them.
   */
  public static List<X509Certificate> decodeCertificates(String pem) {
    List<PemObject> blocks = blocks(pem);
    CertificateFactory factory;
    try {
      factory = CertificateFactory.getInstance("X.509");
    } catch (CertificateException e) {
      throw new PkiException("this JDK cannot read X.509 certificates: " + e, e);
    }
    List<X509Certificate> certificates = new ArrayList<>();
    for (PemObject block : blocks) {
      if (!CERTIFICATE.equals(block.getType())) {
        continue;
      }
      try {
        Certificate certificate =
            factory.generateCertificate(new ByteArrayInputStream(block.getContent()));
        certificates.add((X509Certificate) certificate);
      } catch (CertificateException | ClassCastException e) {
        throw new PkiException(
            "PEM CERTIFICATE block "
                + (certificates.size() + 1)
                + " is not a valid X.509 certificate: "
                + e.getMessage(),
            e);
      }
    }
    if (certificates.isEmpty()) {
      throw new PkiException("no PEM CERTIFICATE block found" + foundTypes(blocks));
    }
    return List.copyOf(certificates);
  }

  /** The first certificate of a document, the one a bundle is about. */
  public static X509Certificate decodeCertificate(String pem) {
    return decodeCertificates(pem).getFirst();
  }

  /** The first private key block: PKCS#1 RSA, SEC1 EC or unencrypted PKCS#8. */
  public static PrivateKey decodePrivateKey(String pem) {
    List<PemObject> blocks = blocks(pem);
    for (PemObject block : blocks) {
      switch (block.getType()) {
        case RSA_PRIVATE_KEY, EC_PRIVATE_KEY, PRIVATE_KEY -> {
          refuseEncrypted(block);
          return privateKey(block);
        }
        case "ENCRYPTED PRIVATE KEY" ->
            throw new PkiException(
                "the private key is encrypted: kubeadm keys are stored unencrypted");
        default -> {
          // kubeadm tolerates other blocks (openssl's EC PARAMETERS) next to the key
        }
      }
    }
    throw new PkiException(
        "no PEM private key block (RSA PRIVATE KEY, EC PRIVATE KEY or PRIVATE KEY) found"
            + foundTypes(blocks));
  }

  /** The first public key block: PKIX "PUBLIC KEY" or PKCS#1 "RSA PUBLIC KEY". */
  public static PublicKey decodePublicKey(String pem) {
    List<PemObject> blocks = blocks(pem);
    for (PemObject block : blocks) {
      try {
        if (PUBLIC_KEY.equals(block.getType())) {
          var info =
              org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(block.getContent());
          return KeyFactory.getInstance(jdkAlgorithm(info.getAlgorithm().getAlgorithm()))
              .generatePublic(new X509EncodedKeySpec(block.getContent()));
        }
        if (RSA_PUBLIC_KEY.equals(block.getType())) {
          RSAPublicKey rsa = RSAPublicKey.getInstance(block.getContent());
          return KeyFactory.getInstance("RSA")
              .generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
        }
      } catch (GeneralSecurityException | IllegalArgumentException e) {
        throw new PkiException(
            "PEM " + block.getType() + " block is not a valid public key: " + e.getMessage(), e);
      }
    }
    throw new PkiException("no PEM PUBLIC KEY block found" + foundTypes(blocks));
  }

  private static PrivateKey privateKey(PemObject block) {
    try {
      return switch (block.getType()) {
        case RSA_PRIVATE_KEY -> {
          var rsa = org.bouncycastle.asn1.pkcs.RSAPrivateKey.getInstance(block.getContent());
          yield KeyFactory.getInstance("RSA")
              .generatePrivate(
                  new RSAPrivateCrtKeySpec(
                      rsa.getModulus(),
                      rsa.getPublicExponent(),
                      rsa.getPrivateExponent(),
                      rsa.getPrime1(),
                      rsa.getPrime2(),
                      rsa.getExponent1(),
                      rsa.getExponent2(),
                      rsa.getCoefficient()));
        }
        case EC_PRIVATE_KEY -> {
          var sec1 = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(block.getContent());
          if (!(sec1.getParametersObject() instanceof ASN1ObjectIdentifier curve)) {
            throw new PkiException(
                "EC PRIVATE KEY block names no curve (a named curve such as P-256 is required)");
          }
          yield ecPrivateKey(curve, sec1.getKey());
        }
        default -> {
          PrivateKeyInfo info = PrivateKeyInfo.getInstance(block.getContent());
          ASN1ObjectIdentifier algorithm = info.getPrivateKeyAlgorithm().getAlgorithm();
          if (X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm)) {
            if (!(info.getPrivateKeyAlgorithm().getParameters()
                instanceof ASN1ObjectIdentifier curve)) {
              throw new PkiException("PRIVATE KEY block holds an EC key without a named curve");
            }
            var sec1 = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(info.parsePrivateKey());
            yield ecPrivateKey(curve, sec1.getKey());
          }
          yield KeyFactory.getInstance(jdkAlgorithm(algorithm))
              .generatePrivate(new PKCS8EncodedKeySpec(block.getContent()));
        }
      };
    } catch (GeneralSecurityException
        | IOException
        | IllegalArgumentException
        | IllegalStateException e) {
      throw new PkiException(
          "PEM " + block.getType() + " block is not a valid private key: " + e.getMessage(), e);
    }
  }

  /** Rebuilt as minimal PKCS#8 so the JDK never sees optional SEC1 fields it may not expect. */
  private static PrivateKey ecPrivateKey(ASN1ObjectIdentifier curve, BigInteger d)
      throws IOException, GeneralSecurityException {
    int orderBits = EcKeys.curve(curve).getN().bitLength();
    PrivateKeyInfo info =
        new PrivateKeyInfo(
            new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, curve),
            new org.bouncycastle.asn1.sec.ECPrivateKey(orderBits, d));
    return KeyFactory.getInstance("EC")
        .generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded(ASN1Encoding.DER)));
  }

  private static String jdkAlgorithm(ASN1ObjectIdentifier algorithm) {
    if (PKCSObjectIdentifiers.rsaEncryption.equals(algorithm)) {
      return "RSA";
    }
    if (X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm)) {
      return "EC";
    }
    throw new PkiException(
        "unsupported key algorithm " + algorithm.getId() + ": kubeadm keys are RSA or ECDSA");
  }

  private static PrivateKeyInfo pkcs8(PrivateKey key) {
    byte[] encoded = key.getEncoded();
    if (encoded == null || !"PKCS#8".equals(key.getFormat())) {
      throw new PkiException(
          "the "
              + key.getAlgorithm()
              + " private key has no PKCS#8 encoding (is it held in a hardware token?)");
    }
    return PrivateKeyInfo.getInstance(encoded);
  }

  private static void refuseEncrypted(PemObject block) {
    for (Object header : block.getHeaders()) {
      if (header instanceof PemHeader h
          && "Proc-Type".equals(h.getName())
          && h.getValue().contains("ENCRYPTED")) {
        throw new PkiException("the private key is encrypted: kubeadm keys are stored unencrypted");
      }
    }
  }

  private static List<PemObject> blocks(String pem) {
    if (pem == null) {
      throw new PkiException("no PEM data");
    }
    List<PemObject> blocks = new ArrayList<>();
    try (PemReader reader = new PemReader(new StringReader(pem))) {
      for (PemObject block = reader.readPemObject();
          block != null;
          block = reader.readPemObject()) {
        blocks.add(block);
      }
    } catch (IOException | RuntimeException e) {
      throw new PkiException("malformed PEM data: " + e.getMessage(), e);
    }
    return blocks;
  }

  private static String foundTypes(List<PemObject> blocks) {
    if (blocks.isEmpty()) {
      return " (the data holds no PEM block at all)";
    }
    return " (found "
        + blocks.stream().map(b -> "\"" + b.getType() + "\"").collect(Collectors.joining(", "))
        + ")";
  }

  /** Go's pem.Encode layout: 64 characters a line, LF line ends. */
  static String block(String type, byte[] der) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }
}
