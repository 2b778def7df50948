package dev.kubeboot.testing;

import dev.kubeboot.pki.CertificateAuthority;
import dev.kubeboot.pki.CertificateIssuer;
import dev.kubeboot.pki.CertificateSpec;
import dev.kubeboot.pki.ExtendedKeyUsage;
import dev.kubeboot.pki.KeyAlgorithm;
import dev.kubeboot.pki.KeyPairs;
import dev.kubeboot.pki.Pem;
import dev.kubeboot.pki.SubjectAltNames;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;

/** Certificates for the tests, made with kubeboot-pki and written as PEM files into a directory. */
final class TestPki {
  private final Path dir;
  private final KeyPairs keys = new KeyPairs(new SecureRandom());
  private final CertificateIssuer issuer = new CertificateIssuer(Instant.now(), new SecureRandom());

  TestPki(Path dir) {
    this.dir = dir;
  }

  /** A CA written as {@code <name>.crt}/{@code <name>.key}. */
  CertificateAuthority ca(String name) throws IOException {
    KeyPair pair = keys.generate(KeyAlgorithm.ECDSA_P256);
    X509Certificate cert = issuer.selfSignedCa(name, pair, Duration.ofDays(1));
    write(name, cert, pair);
    return new CertificateAuthority(cert, pair.getPrivate());
  }

  /** A leaf for localhost/127.0.0.1 with the given usages, written as {@code <name>.crt/.key}. */
  void leaf(
      String name,
      CertificateAuthority ca,
      String commonName,
      List<String> organizations,
      KeyAlgorithm algorithm,
      ExtendedKeyUsage... usages)
      throws IOException {
    KeyPair pair = keys.generate(algorithm);
    CertificateSpec spec =
        new CertificateSpec(
            commonName,
            organizations,
            EnumSet.copyOf(List.of(usages)),
            new SubjectAltNames(List.of("localhost"), List.of(InetAddress.getByName("127.0.0.1"))));
    write(name, issuer.issue(spec, pair.getPublic(), ca, Duration.ofDays(1)), pair);
  }

  Path crt(String name) {
    return dir.resolve(name + ".crt");
  }

  Path key(String name) {
    return dir.resolve(name + ".key");
  }

  /** A kubeconfig with inline data, as kubeadm writes them. */
  Path kubeconfig(String name, String server, String caName, String userName) throws IOException {
    Path file = dir.resolve(name + ".conf");
    Files.writeString(
        file,
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: kubernetes
          cluster:
            server: %s
            certificate-authority-data: %s
        contexts:
        - name: ctx
          context: {cluster: kubernetes, user: u}
        current-context: ctx
        users:
        - name: u
          user:
            client-certificate-data: %s
            client-key-data: %s
        """
            .formatted(server, b64(crt(caName)), b64(crt(userName)), b64(key(userName))));
    return file;
  }

  private static String b64(Path file) throws IOException {
    return Base64.getEncoder().encodeToString(Files.readAllBytes(file));
  }

  private void write(String name, X509Certificate cert, KeyPair pair) throws IOException {
    Files.writeString(crt(name), Pem.encode(cert), StandardCharsets.US_ASCII);
    Files.writeString(key(name), Pem.encode(pair.getPrivate()), StandardCharsets.US_ASCII);
  }
}
