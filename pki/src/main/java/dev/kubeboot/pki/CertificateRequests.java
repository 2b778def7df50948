package dev.kubeboot.pki;

import java.io.IOException;
import java.security.KeyPair;
import java.util.Objects;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * Certificate signing requests as kubeadm's pkiutil.NewCSR makes them with Go's
 * x509.CreateCertificateRequest: the subject (organizations, then the common name) and the subject
 * alternative names in an extensionRequest attribute, signed with the requester's key; no key
 * usages (the CA decides those). What {@code certs generate-csr} hands an external CA.
 */
public final class CertificateRequests {
  static final String CERTIFICATE_REQUEST = "CERTIFICATE REQUEST";

  private CertificateRequests() {}

  /** The PEM "CERTIFICATE REQUEST" for {@code spec}, signed by {@code keys}. */
  public static String create(CertificateSpec spec, KeyPair keys) {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(keys, "keys");
    var builder =
        new JcaPKCS10CertificationRequestBuilder(
            CertificateIssuer.subject(spec.commonName(), spec.organizations()), keys.getPublic());
    try {
      if (!spec.subjectAltNames().isEmpty()) {
        var extensions = new ExtensionsGenerator();
        extensions.addExtension(
            Extension.subjectAlternativeName,
            false,
            CertificateIssuer.generalNames(spec.subjectAltNames()));
        builder.addAttribute(
            PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate());
      }
      ContentSigner signer =
          new JcaContentSignerBuilder(CertificateIssuer.signatureAlgorithm(keys.getPrivate()))
              .build(keys.getPrivate());
      PKCS10CertificationRequest request = builder.build(signer);
      return Pem.block(CERTIFICATE_REQUEST, request.getEncoded());
    } catch (IOException | OperatorCreationException e) {
      throw new PkiException(
          "cannot make the certificate signing request for " + spec.commonName() + ": " + e, e);
    }
  }
}
