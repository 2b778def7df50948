package dev.kubeboot.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our certificates and keys as the real openssl sees them. */
class OpensslTest {
  private static final Path OPENSSL = Path.of("/usr/bin/openssl");

  @TempDir Path dir;

  @BeforeAll
  static void requireOpenssl() {
    assumeTrue(
        Files.isExecutable(OPENSSL),
        "openssl not installed at /usr/bin/openssl: skipping the openssl cross-checks");
  }

  @Test
  void opensslAcceptsTheTable() throws Exception {
    List<KubeadmCert> table = KubeadmCerts.table(KubeadmCertsTest.inputs(), w -> {});
    CertificateIssuer issuer = new CertificateIssuer(Instant.now(), new SecureRandom());
    Map<String, X509Certificate> rsa =
        CertificateIssuerTest.issueTable(issuer, KeyAlgorithm.RSA_2048, table);
    Map<String, X509Certificate> ec =
        CertificateIssuerTest.issueTable(issuer, KeyAlgorithm.ECDSA_P256, table);
    write("ca.crt", Pem.encode(rsa.get("ca")));
    write("apiserver.crt", Pem.encode(rsa.get("apiserver")));
    write("apiserver-kubelet-client.crt", Pem.encode(rsa.get("apiserver-kubelet-client")));
    write("etcd-ca.crt", Pem.encode(ec.get("etcd-ca")));
    write("etcd-server.crt", Pem.encode(ec.get("etcd-server")));

    assertThat(openssl("verify", "-CAfile", "ca.crt", "apiserver.crt"))
        .isEqualTo("apiserver.crt: OK\n");
    assertThat(
            openssl("verify", "-CAfile", "etcd-ca.crt", "-purpose", "sslserver", "etcd-server.crt"))
        .isEqualTo("etcd-server.crt: OK\n");
    assertThat(
            openssl(
                "verify",
                "-CAfile",
                "ca.crt",
                "-purpose",
                "sslclient",
                "apiserver-kubelet-client.crt"))
        .isEqualTo("apiserver-kubelet-client.crt: OK\n");
    assertThat(openssl("x509", "-noout", "-subject", "-in", "apiserver-kubelet-client.crt"))
        .isEqualTo("subject=O = kubeadm:cluster-admins, CN = kube-apiserver-kubelet-client\n");
    assertThat(openssl("x509", "-noout", "-subject", "-issuer", "-in", "apiserver.crt"))
        .isEqualTo("subject=CN = kube-apiserver\nissuer=CN = kubernetes\n");

    String caText = openssl("x509", "-noout", "-text", "-in", "ca.crt");
    assertThat(caText)
        .contains(
            "X509v3 Key Usage: critical\n"
                + "                Digital Signature, Key Encipherment, Certificate Sign")
        .contains("X509v3 Basic Constraints: critical\n                CA:TRUE\n")
        .contains("X509v3 Subject Alternative Name: \n                DNS:kubernetes\n")
        .contains("Signature Algorithm: sha256WithRSAEncryption");
    String serverText = openssl("x509", "-noout", "-text", "-in", "etcd-server.crt");
    assertThat(serverText)
        .contains(
            "X509v3 Key Usage: critical\n                Digital Signature, Key Encipherment\n")
        .contains(
            "X509v3 Extended Key Usage: \n"
                + "                TLS Web Server Authentication, TLS Web Client Authentication")
        .contains("X509v3 Basic Constraints: critical\n                CA:FALSE")
        .contains(
            "DNS:cp-1, DNS:etcd.example.com, DNS:localhost, IP Address:192.168.56.10, IP"
                + " Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, IP Address:FD00:0:0:0:0:0:0:10")
        .contains("Signature Algorithm: ecdsa-with-SHA256");
  }

  @Test
  void opensslReadsOurPrivateKeys() throws Exception {
    KeyPair rsa = TestKeys.get(KeyAlgorithm.RSA_2048);
    KeyPair ec = TestKeys.get(KeyAlgorithm.ECDSA_P256);
    write("rsa.key", Pem.encode(rsa.getPrivate()));
    write("ec.key", Pem.encode(ec.getPrivate()));

    assertThat(openssl("rsa", "-check", "-noout", "-in", "rsa.key")).isEqualTo("RSA key ok\n");
    assertThat(openssl("ec", "-check", "-noout", "-in", "ec.key")).contains("EC Key valid.");
    assertThat(openssl("pkey", "-in", "rsa.key", "-pubout")).isEqualTo(Pem.encode(rsa.getPublic()));
    assertThat(openssl("pkey", "-in", "ec.key", "-pubout")).isEqualTo(Pem.encode(ec.getPublic()));
    assertThat(openssl("pkey", "-in", "ec.key", "-noout", "-text"))
        .contains("ASN1 OID: prime256v1");
  }

  @Test
  void weReadOpensslsKeys() throws Exception {
    openssl(
        "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out", "pkcs8.key");
    openssl("ecparam", "-name", "prime256v1", "-genkey", "-out", "sec1-with-params.key");
    openssl("genrsa", "-traditional", "-out", "pkcs1.key", "2048");

    for (String file : List.of("pkcs8.key", "sec1-with-params.key", "pkcs1.key")) {
      var key = Pem.decodePrivateKey(Files.readString(dir.resolve(file)));
      String publicPem = openssl("pkey", "-in", file, "-pubout");
      assertThat(Pem.encode(CertificateChecks.publicKeyOf(key))).as(file).isEqualTo(publicPem);
    }
  }

  @Test
  void opensslVerifiesOurCertificateRequestsAndReadsSubjectAndSans() throws Exception {
    KeyPair rsa = TestKeys.get(KeyAlgorithm.RSA_2048);
    KeyPair ec = TestKeys.get(KeyAlgorithm.ECDSA_P256);
    var server =
        new CertificateSpec(
            "kube-apiserver",
            List.of(),
            java.util.Set.of(ExtendedKeyUsage.SERVER_AUTH),
            SubjectAltNames.parse(List.of("cp-1", "kubernetes", "10.96.0.1", "::1"), w -> {}));
    write("apiserver.csr", CertificateRequests.create(server, rsa));
    write(
        "admin.csr",
        CertificateRequests.create(
            CertificateSpec.client("kubernetes-admin", List.of("kubeadm:cluster-admins")), ec));

    assertThat(Files.readString(dir.resolve("apiserver.csr")))
        .startsWith("-----BEGIN CERTIFICATE REQUEST-----\n")
        .endsWith("-----END CERTIFICATE REQUEST-----\n");
    String text = openssl("req", "-verify", "-noout", "-text", "-in", "apiserver.csr");
    assertThat(text)
        .contains("Subject: CN = kube-apiserver")
        .contains("Requested Extensions:")
        .contains(
            "X509v3 Subject Alternative Name: \n"
                + "                    DNS:cp-1, DNS:kubernetes, IP Address:10.96.0.1, IP"
                + " Address:0:0:0:0:0:0:0:1")
        .contains("Signature Algorithm: sha256WithRSAEncryption")
        .doesNotContain("Key Usage");
    assertThat(openssl("req", "-noout", "-pubkey", "-in", "apiserver.csr"))
        .isEqualTo(Pem.encode(rsa.getPublic()));
    String client = openssl("req", "-verify", "-noout", "-text", "-in", "admin.csr");
    assertThat(client)
        .contains("Subject: O = kubeadm:cluster-admins, CN = kubernetes-admin")
        .contains("Signature Algorithm: ecdsa-with-SHA256")
        .doesNotContain("Subject Alternative Name");
  }

  private void write(String name, String content) throws IOException {
    Files.writeString(dir.resolve(name), content);
  }

  private String openssl(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(OPENSSL.toString()));
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("openssl %s: %s", String.join(" ", args), output).isZero();
    return output;
  }
}
