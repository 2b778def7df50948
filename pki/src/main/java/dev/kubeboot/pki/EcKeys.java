package dev.kubeboot.pki;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.X509EncodedKeySpec;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/** EC key facts the JDK does not expose: the named curve and the public point of a private key. */
final class EcKeys {
  private EcKeys() {}

  /** The named-curve OID from the key's own encoding; keys with explicit parameters are refused. */
  static ASN1ObjectIdentifier curveOid(Key key) {
    byte[] encoded = key.getEncoded();
    if (encoded == null) {
      throw new PkiException("the EC key cannot be encoded (is it held in a hardware token?)");
    }
    AlgorithmIdentifier algorithm =
        key instanceof PublicKey
            ? SubjectPublicKeyInfo.getInstance(encoded).getAlgorithm()
            : PrivateKeyInfo.getInstance(encoded).getPrivateKeyAlgorithm();
    if (!(algorithm.getParameters() instanceof ASN1ObjectIdentifier oid)) {
      throw new PkiException("EC keys must use a named curve (P-256 or P-384)");
    }
    return oid;
  }

  static X9ECParameters curve(ASN1ObjectIdentifier oid) {
    X9ECParameters parameters = ECNamedCurveTable.getByOID(oid);
    if (parameters == null) {
      throw new PkiException("unknown EC curve " + oid.getId());
    }
    return parameters;
  }

  /** The uncompressed public point d*G of a private key. */
  static byte[] publicPoint(ASN1ObjectIdentifier oid, BigInteger d) {
    ECPoint q = new FixedPointCombMultiplier().multiply(curve(oid).getG(), d).normalize();
    return q.getEncoded(false);
  }

  static PublicKey publicKeyOf(ECPrivateKey key) {
    ASN1ObjectIdentifier oid = curveOid(key);
    SubjectPublicKeyInfo info =
        new SubjectPublicKeyInfo(
            new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, oid),
            publicPoint(oid, key.getS()));
    try {
      return KeyFactory.getInstance("EC")
          .generatePublic(new X509EncodedKeySpec(info.getEncoded(ASN1Encoding.DER)));
    } catch (GeneralSecurityException | IOException e) {
      throw new PkiException("cannot derive the public key of an EC private key: " + e, e);
    }
  }
}
