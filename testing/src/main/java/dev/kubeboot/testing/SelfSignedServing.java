package dev.kubeboot.testing;

import dev.kubeboot.pki.CertificateAuthority;
import dev.kubeboot.pki.CertificateIssuer;
import dev.kubeboot.pki.CertificateSpec;
import dev.kubeboot.pki.ExtendedKeyUsage;
import dev.kubeboot.pki.KeyAlgorithm;
import dev.kubeboot.pki.KeyPairs;
import dev.kubeboot.pki.SubjectAltNames;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import javax.net.ssl.X509KeyManager;

/**
 * A serving certificate made at start, as kube-controller-manager and kube-scheduler make one
 * without {@code --tls-cert-file}: a throw-away CA {@code localhost-ca@<epoch>} signing {@code
 * localhost@<epoch>} for localhost and 127.0.0.1, held in memory only.
 */
final class SelfSignedServing {
  private static final Duration VALIDITY = Duration.ofDays(365);

  private SelfSignedServing() {}

  static X509KeyManager create(Clock clock) {
    SecureRandom random = new SecureRandom();
    KeyPairs keyPairs = new KeyPairs(random);
    CertificateIssuer issuer = new CertificateIssuer(clock.instant(), random);
    long epoch = clock.instant().getEpochSecond();
    KeyPair caKeys = keyPairs.generate(KeyAlgorithm.ECDSA_P256);
    X509Certificate ca = issuer.selfSignedCa("localhost-ca@" + epoch, caKeys, VALIDITY);
    KeyPair servingKeys = keyPairs.generate(KeyAlgorithm.ECDSA_P256);
    SubjectAltNames names;
    try {
      names =
          new SubjectAltNames(List.of("localhost"), List.of(InetAddress.getByName("127.0.0.1")));
    } catch (UnknownHostException e) {
      throw new IllegalStateException("127.0.0.1 is always an address", e);
    }
    X509Certificate serving =
        issuer.issue(
            new CertificateSpec(
                "localhost@" + epoch, List.of(), Set.of(ExtendedKeyUsage.SERVER_AUTH), names),
            servingKeys.getPublic(),
            new CertificateAuthority(ca, caKeys.getPrivate()),
            VALIDITY);
    return TlsMaterial.keyManager(List.of(serving, ca), servingKeys.getPrivate());
  }
}
