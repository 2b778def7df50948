package dev.kubeboot.cli.day2;

import dev.kubeboot.cli.KubebootException;
import dev.kubeboot.cli.io.FileMode;
import dev.kubeboot.cli.io.FileSink;
import dev.kubeboot.pki.CertificateAuthority;
import dev.kubeboot.pki.CertificateChecks;
import dev.kubeboot.pki.CertificateIssuer;
import dev.kubeboot.pki.CertificateSpec;
import dev.kubeboot.pki.ExtendedKeyUsage;
import dev.kubeboot.pki.IpLiterals;
import dev.kubeboot.pki.KeyAlgorithm;
import dev.kubeboot.pki.KeyPairs;
import dev.kubeboot.pki.Pem;
import dev.kubeboot.pki.SubjectAltNames;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Re-issues one certificate as kubeadm's renewal manager does: the existing certificate's subject,
 * SANs and extended key usages, a new key of the cluster's encryptionAlgorithm, signed by the
 * existing CA, valid for certificateValidityPeriod from now.
 */
final class CertificateRenewal {
  private static final String SERVER_AUTH_OID = "1.3.6.1.5.5.7.3.1";
  private static final String CLIENT_AUTH_OID = "1.3.6.1.5.5.7.3.2";

  private final FileSink sink;
  private final CertificateIssuer issuer;
  private final KeyPairs keys;
  private final KeyAlgorithm algorithm;
  private final Duration validity;
  private final Consumer<String> warnings;

  CertificateRenewal(
      FileSink sink,
      CertificateIssuer issuer,
      KeyPairs keys,
      KeyAlgorithm algorithm,
      Duration validity,
      Consumer<String> warnings) {
    this.sink = sink;
    this.issuer = issuer;
    this.keys = keys;
    this.algorithm = algorithm;
    this.validity = validity;
    this.warnings = warnings;
  }

  /** Renews {@code cert}, whose current version is {@code current}; returns the new certificate. */
  X509Certificate renew(CertInventory.Renewable cert, X509Certificate current) throws Exception {
    CertificateAuthority ca = authority(cert);
    CertificateSpec spec = specOf(current);
    KeyPair keyPair = keys.generate(algorithm);
    X509Certificate renewed = issuer.issue(spec, keyPair.getPublic(), ca, validity);
    CertificateChecks.verifySignedBy(renewed, ca.certificate());
    if (CertificateChecks.outlivesIssuer(renewed, ca.certificate())) {
      warnings.accept(
          "the renewed "
              + cert.name()
              + " certificate expires after its CA "
              + cert.ca().name()
              + " ("
              + ca.certificate().getNotAfter().toInstant()
              + "): renew the CA before then");
    }
    switch (cert.location()) {
      case CertInventory.PkiFile pki -> {
        // Key first: a crash in between leaves the old certificate with a key that does not match,
        // which init's checks report, rather than a new certificate nobody can use.
        sink.write(
            pki.key(),
            Pem.encode(keyPair.getPrivate()).getBytes(StandardCharsets.US_ASCII),
            FileMode.PRIVATE);
        sink.write(
            pki.certificate(),
            Pem.encode(renewed).getBytes(StandardCharsets.US_ASCII),
            FileMode.PUBLIC);
      }
      case CertInventory.KubeconfigFile kubeconfig -> {
        byte[] content =
            sink.read(kubeconfig.file())
                .orElseThrow(
                    () ->
                        new KubebootException(
                            kubeconfig.file() + " disappeared while renewing it"));
        var credentials = KubeconfigCredentials.parse(kubeconfig.file(), content);
        sink.write(
            kubeconfig.file(),
            credentials
                .withCredentials(renewed, keyPair.getPrivate())
                .getBytes(StandardCharsets.UTF_8),
            FileMode.PRIVATE);
      }
    }
    return renewed;
  }

  private CertificateAuthority authority(CertInventory.Renewable cert) throws Exception {
    var ca = cert.ca();
    X509Certificate caCert =
        CertInventory.readCertificate(sink, ca.certificate())
            .orElseThrow(
                () ->
                    new KubebootException(
                        "cannot renew "
                            + cert.name()
                            + ": its CA certificate "
                            + ca.certificate()
                            + " is missing; restore the "
                            + ca.name()
                            + " CA (renewing needs the CA that signed the cluster)"));
    PrivateKey caKey =
        CertInventory.readKey(sink, ca.key())
            .orElseThrow(
                () ->
                    new KubebootException(
                        "cannot renew "
                            + cert.name()
                            + ": the "
                            + ca.name()
                            + " CA key "
                            + ca.key()
                            + " is missing (external CA mode); have your CA sign a new certificate with the same subject and SANs, or restore "
                            + ca.key()));
    if (!CertificateChecks.keyMatches(caCert, caKey)) {
      throw new KubebootException(
          "cannot renew "
              + cert.name()
              + ": "
              + ca.key()
              + " does not belong to "
              + ca.certificate()
              + "; restore the matching key");
    }
    return new CertificateAuthority(caCert, caKey);
  }

  /** What kubeadm's certToConfig keeps: CN, organizations, SANs and extended key usages. */
  static CertificateSpec specOf(X509Certificate cert) throws KubebootException {
    String commonName = null;
    var organizations = new ArrayList<String>();
    try {
      for (Rdn rdn :
          new LdapName(
                  cert.getSubjectX500Principal()
                      .getName(javax.security.auth.x500.X500Principal.RFC2253))
              .getRdns()) {
        var attributes = rdn.toAttributes().getAll();
        while (attributes.hasMore()) {
          var attribute = attributes.next();
          var values = attribute.getAll();
          while (values.hasMore()) {
            String value = values.next().toString();
            switch (attribute.getID().toUpperCase(java.util.Locale.ROOT)) {
              case "CN" -> commonName = value;
              case "O" -> organizations.add(value);
              default -> {}
            }
          }
        }
      }
    } catch (javax.naming.NamingException e) {
      throw new KubebootException(
          "cannot read the subject of " + cert.getSubjectX500Principal() + ": " + e.getMessage(),
          e);
    }
    if (commonName == null) {
      throw new KubebootException(
          "the certificate "
              + cert.getSubjectX500Principal()
              + " has no common name; kubeboot renews only kubeadm's certificates");
    }
    Set<ExtendedKeyUsage> usages = EnumSet.noneOf(ExtendedKeyUsage.class);
    var dns = new ArrayList<String>();
    var ips = new ArrayList<InetAddress>();
    try {
      List<String> ekus = cert.getExtendedKeyUsage();
      if (ekus != null) {
        if (ekus.contains(SERVER_AUTH_OID)) {
          usages.add(ExtendedKeyUsage.SERVER_AUTH);
        }
        if (ekus.contains(CLIENT_AUTH_OID)) {
          usages.add(ExtendedKeyUsage.CLIENT_AUTH);
        }
      }
      var sans = cert.getSubjectAlternativeNames();
      if (sans != null) {
        for (List<?> san : sans) {
          int type = (Integer) san.get(0);
          if (type == 2) {
            dns.add((String) san.get(1));
          } else if (type == 7) {
            String text = (String) san.get(1);
            var ip = IpLiterals.parse(text);
            if (ip.isEmpty()) {
              throw new KubebootException(
                  "the certificate of "
                      + commonName
                      + " lists an IP address SAN \""
                      + text
                      + "\" that is no IP address; remove it to have it made again");
            }
            ips.add(ip.get());
          }
        }
      }
    } catch (CertificateParsingException e) {
      throw new KubebootException(
          "cannot read the extensions of " + commonName + ": " + e.getMessage(), e);
    }
    return new CertificateSpec(commonName, organizations, usages, new SubjectAltNames(dns, ips));
  }
}
