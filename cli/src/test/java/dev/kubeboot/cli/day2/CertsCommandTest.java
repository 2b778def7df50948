package dev.kubeboot.cli.day2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeboot.pki.CertificateChecks;
import dev.kubeboot.pki.Pem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertsCommandTest {
  @TempDir Path tmp;

  @Test
  void checkExpirationListsEveryCertificateThenTheCas() throws Exception {
    var node = Node.init(tmp.resolve("node"), "certificateValidityPeriod: 1h");
    Node.Result result = node.onNode("certs", "check-expiration");
    assertThat(result.code()).as(result.err()).isZero();
    List<String> lines = result.out().lines().toList();
    assertThat(lines.get(0))
        .isEqualTo(
            "CERTIFICATE                EXPIRES                  RESIDUAL TIME   CERTIFICATE AUTHORITY   EXTERNALLY MANAGED");
    assertThat(lines.subList(1, 12))
        .extracting(l -> l.split("\\s+")[0])
        .containsExactly(
            "admin.conf",
            "apiserver",
            "apiserver-etcd-client",
            "apiserver-kubelet-client",
            "controller-manager.conf",
            "etcd-healthcheck-client",
            "etcd-peer",
            "etcd-server",
            "front-proxy-client",
            "scheduler.conf",
            "super-admin.conf");
    assertThat(lines.get(2))
        .matches(
            "apiserver {18}[A-Z][a-z]{2} \\d{2}, \\d{4} \\d{2}:\\d{2} UTC {3}59m {13}ca {22}no {6}");
    assertThat(lines.get(3)).contains("etcd-ca");
    assertThat(lines.get(12)).isEmpty();
    assertThat(lines.get(13))
        .isEqualTo(
            "CERTIFICATE AUTHORITY   EXPIRES                  RESIDUAL TIME   EXTERNALLY MANAGED");
    assertThat(lines.subList(14, 17))
        .extracting(l -> l.split("\\s+")[0])
        .containsExactly("ca", "etcd-ca", "front-proxy-ca");
    assertThat(lines.get(14)).contains(" 9y ");
    assertThat(result.out()).doesNotContain("kubelet.conf");
  }

  @Test
  void missingFilesAndAKeylessCaAreShownAsKubeadmDoes() throws Exception {
    var node = Node.init(tmp.resolve("node"), "");
    Files.delete(node.pki.resolve("apiserver.crt"));
    Files.delete(node.kubernetesDir.resolve("scheduler.conf"));
    Files.delete(node.pki.resolve("front-proxy-ca.key"));

    Node.Result table = node.onNode("certs", "check-expiration");
    assertThat(table.code()).as(table.err()).isZero();
    assertThat(table.out())
        .contains("!MISSING! apiserver ")
        .contains("!MISSING! scheduler.conf ")
        .containsPattern("front-proxy-client .* front-proxy-ca +yes")
        .containsPattern("\nfront-proxy-ca .* yes")
        .containsPattern("\nca .* no");

    Node.Result json = node.onNode("certs", "check-expiration", "-o", "json");
    assertThat(json.code()).isZero();
    assertThat(json.out())
        .contains(
            "\"kind\": \"CertificateExpirationInfo\"",
            "\"apiVersion\": \"output.kubeadm.k8s.io/v1alpha3\"")
        .containsPattern(
            "\"name\": \"apiserver\",\\s+\"expirationDate\": null,\\s+\"residualTime\": 0,\\s+\"externallyManaged\": false,\\s+\"caName\": \"ca\",\\s+\"missing\": true")
        .containsPattern(
            "\"name\": \"front-proxy-ca\",\\s+\"expirationDate\": \"[0-9T:-]+Z\",\\s+\"residualTime\": \\d+,\\s+\"externallyManaged\": true,\\s+\"missing\": false");

    Node.Result yaml = node.onNode("certs", "check-expiration", "-o", "yaml");
    assertThat(yaml.code()).as(yaml.err()).isZero();
    assertThat(yaml.out())
        .startsWith("apiVersion: output.kubeadm.k8s.io/v1alpha3\ncertificateAuthorities:\n")
        .contains(
            "- caName: ca\n  expirationDate: null\n  externallyManaged: false\n  missing: true\n"
                + "  name: apiserver\n  residualTime: 0\n")
        .containsPattern(
            "- expirationDate: \"[0-9T:-]+Z\"\n  externallyManaged: true\n  missing: false\n"
                + "  name: front-proxy-ca\n")
        .endsWith("kind: CertificateExpirationInfo\n");
    Node.Result bad = node.onNode("certs", "check-expiration", "-o", "xml");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("--output").contains("xml");
  }

  @Test
  void renewingAnAlmostExpiredPkiKeepsSubjectsAndSansAndChainsToTheSameCa() throws Exception {
    var node = Node.init(tmp.resolve("node"), "certificateValidityPeriod: 1h");
    List<String> names =
        List.of(
            "apiserver",
            "etcd/server",
            "etcd/peer",
            "front-proxy-client",
            "apiserver-etcd-client",
            "apiserver-kubelet-client",
            "etcd/healthcheck-client");
    var before = new ArrayList<X509Certificate>();
    for (String n : names) {
      before.add(cert(node.pki.resolve(n + ".crt")));
    }
    X509Certificate adminBefore = kubeconfigCert(node.kubernetesDir.resolve("admin.conf"));
    String adminTextBefore = Files.readString(node.kubernetesDir.resolve("admin.conf"));
    // A year's validity now: the config as it is after the operator fixed the period.
    Path yearly = tmp.resolve("yearly.yaml");
    Files.writeString(yearly, node.configText(""));

    Node.Result result = node.onNode("certs", "renew", "all", "--config", yearly.toString());

    assertThat(result.code()).as(result.err()).isZero();
    assertThat(result.out())
        .contains("certificate for serving the Kubernetes API renewed")
        .contains(
            "certificate embedded in the kubeconfig file for the admin to use and for kubeadm itself renewed")
        .contains("You must restart etcd, kube-apiserver, kube-controller-manager, kube-scheduler")
        .contains("mv " + node.manifests.resolve("kube-apiserver.yaml") + " ");
    for (int i = 0; i < names.size(); i++) {
      X509Certificate old = before.get(i);
      X509Certificate renewed = cert(node.pki.resolve(names.get(i) + ".crt"));
      assertThat(renewed.getNotAfter()).as(names.get(i)).isAfter(old.getNotAfter());
      assertThat(renewed.getNotAfter().toInstant())
          .isAfter(old.getNotAfter().toInstant().plusSeconds(300 * 24 * 3600L));
      assertThat(renewed.getSubjectX500Principal()).isEqualTo(old.getSubjectX500Principal());
      assertThat(sans(renewed)).isEqualTo(sans(old));
      assertThat(renewed.getExtendedKeyUsage()).isEqualTo(old.getExtendedKeyUsage());
      assertThat(renewed.getPublicKey())
          .as("kubeadm renews with a new key")
          .isNotEqualTo(old.getPublicKey());
      assertThat(
              CertificateChecks.keyMatches(
                  renewed,
                  Pem.decodePrivateKey(Files.readString(node.pki.resolve(names.get(i) + ".key")))))
          .isTrue();
    }
    assertThat(sans(before.get(0))).hasSize(7);
    assertThat(sans(before.get(1))).as("etcd/server").isNotEmpty();
    assertThat(
            openssl(
                "verify",
                "-CAfile",
                node.pki.resolve("ca.crt").toString(),
                node.pki.resolve("apiserver.crt").toString(),
                node.pki.resolve("apiserver-kubelet-client.crt").toString()))
        .contains("apiserver.crt: OK", "apiserver-kubelet-client.crt: OK");
    assertThat(
            openssl(
                "verify",
                "-CAfile",
                node.pki.resolve("etcd/ca.crt").toString(),
                node.pki.resolve("etcd/server.crt").toString(),
                node.pki.resolve("etcd/peer.crt").toString(),
                node.pki.resolve("apiserver-etcd-client.crt").toString()))
        .doesNotContain("error")
        .contains("server.crt: OK", "peer.crt: OK", "apiserver-etcd-client.crt: OK");
    assertThat(
            openssl(
                "verify",
                "-CAfile",
                node.pki.resolve("front-proxy-ca.crt").toString(),
                node.pki.resolve("front-proxy-client.crt").toString()))
        .contains("front-proxy-client.crt: OK");

    X509Certificate adminAfter = kubeconfigCert(node.kubernetesDir.resolve("admin.conf"));
    assertThat(adminAfter.getSubjectX500Principal())
        .isEqualTo(adminBefore.getSubjectX500Principal());
    assertThat(adminAfter.getSubjectX500Principal().getName()).contains("O=kubeadm:cluster-admins");
    assertThat(adminAfter.getNotAfter()).isAfter(adminBefore.getNotAfter());
    Path adminPem = tmp.resolve("admin.pem");
    Files.writeString(adminPem, Pem.encode(adminAfter));
    assertThat(
            openssl(
                "verify", "-CAfile", node.pki.resolve("ca.crt").toString(), adminPem.toString()))
        .contains("admin.pem: OK");
    assertThat(
            unchangedLines(
                adminTextBefore, Files.readString(node.kubernetesDir.resolve("admin.conf"))))
        .as("only the two credential lines change")
        .isEqualTo(2);
    assertThat(Files.getPosixFilePermissions(node.pki.resolve("apiserver.key")))
        .hasToString("[OWNER_READ, OWNER_WRITE]");
  }

  @Test
  void renewingOneCertificateLeavesTheOthersAlone() throws Exception {
    var node = Node.init(tmp.resolve("node"), "");
    byte[] peer = Files.readAllBytes(node.pki.resolve("etcd/peer.crt"));
    Node.Result result = node.onNode("certs", "renew", "scheduler.conf");
    assertThat(result.code()).as(result.err()).isZero();
    assertThat(result.out())
        .contains("You must restart kube-scheduler,")
        .doesNotContain("kube-apiserver");
    assertThat(Files.readAllBytes(node.pki.resolve("etcd/peer.crt"))).isEqualTo(peer);
  }

  @Test
  void aMissingCaKeyIsAClearError() throws Exception {
    var node = Node.init(tmp.resolve("node"), "");
    Files.delete(node.pki.resolve("ca.key"));
    byte[] apiserver = Files.readAllBytes(node.pki.resolve("apiserver.crt"));

    Node.Result result = node.onNode("certs", "renew", "apiserver");

    assertThat(result.code()).isEqualTo(1);
    assertThat(result.err())
        .contains(
            "cannot renew apiserver: the ca CA key "
                + node.pki.resolve("ca.key")
                + " is missing (external CA mode)");
    assertThat(Files.readAllBytes(node.pki.resolve("apiserver.crt"))).isEqualTo(apiserver);
  }

  @Test
  void anUnknownNameIsAUsageErrorListingTheNames() throws Exception {
    var node = Node.init(tmp.resolve("node"), "");
    Node.Result result = node.onNode("certs", "renew", "kubelet.conf");
    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err())
        .contains("\"kubelet.conf\" is not a certificate of this cluster", "super-admin.conf");
  }

  @Test
  void aMissingCertificateIsReportedAndSkipped() throws Exception {
    var node = Node.init(tmp.resolve("node"), "");
    Files.delete(node.pki.resolve("front-proxy-client.crt"));
    Node.Result result = node.onNode("certs", "renew", "front-proxy-client");
    assertThat(result.code()).isZero();
    assertThat(result.out()).contains("MISSING! certificate for the front proxy client");
    assertThat(node.pki.resolve("front-proxy-client.crt")).doesNotExist();
  }

  private static int unchangedLines(String before, String after) {
    List<String> a = before.lines().toList();
    List<String> b = after.lines().toList();
    assertThat(b).hasSameSizeAs(a);
    int changed = 0;
    for (int i = 0; i < a.size(); i++) {
      if (!a.get(i).equals(b.get(i))) {
        changed++;
      }
    }
    return changed;
  }

  private static List<List<?>> sans(X509Certificate cert) throws Exception {
    var sans = cert.getSubjectAlternativeNames();
    return sans == null ? List.of() : sans.stream().<List<?>>map(List::copyOf).toList();
  }

  private static X509Certificate cert(Path file) throws Exception {
    return Pem.decodeCertificate(Files.readString(file));
  }

  private static X509Certificate kubeconfigCert(Path file) throws Exception {
    var matcher =
        Pattern.compile("client-certificate-data: (\\S+)").matcher(Files.readString(file));
    assertThat(matcher.find()).isTrue();
    return Pem.decodeCertificate(
        new String(Base64.getDecoder().decode(matcher.group(1)), StandardCharsets.US_ASCII));
  }

  private static String openssl(String... args) throws Exception {
    var command = new ArrayList<String>();
    command.add("openssl");
    command.addAll(List.of(args));
    var process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(output).isZero();
    return output;
  }
}
