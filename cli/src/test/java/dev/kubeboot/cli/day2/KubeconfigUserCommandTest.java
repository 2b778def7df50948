package dev.kubeboot.cli.day2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeboot.pki.CertificateChecks;
import dev.kubeboot.pki.Pem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.yaml.snakeyaml.Yaml;

/**
 * kubeadm kubeconfig user: a kubeconfig on stdout whose client certificate the cluster CA signed.
 */
class KubeconfigUserCommandTest {
  @TempDir Path tmp;

  @Test
  void printsAKubeconfigForTheUserSignedByTheClusterCa() throws Exception {
    var node = Node.init(tmp.resolve("node"), "");
    Instant before = Instant.now();
    Node.Result r =
        node.onNode(
            "kubeconfig",
            "user",
            "--client-name",
            "jane",
            "--org",
            "developers,auditors",
            "--validity-period",
            "720h",
            "--config",
            node.config.toString());
    assertThat(r.code()).as(r.err()).isZero();
    Map<String, Object> kubeconfig = new Yaml().load(r.out());
    assertThat(kubeconfig.get("current-context")).isEqualTo("jane@kubernetes");
    assertThat(r.out())
        .startsWith("apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: ")
        .contains("    server: https://127.0.0.1:6443\n  name: kubernetes\n")
        .contains("- name: jane\n  user:\n    client-certificate-data: ");

    X509Certificate ca = Pem.decodeCertificate(Files.readString(node.pki.resolve("ca.crt")));
    X509Certificate client = Pem.decodeCertificate(decoded(r.out(), "client-certificate-data"));
    assertThat(decoded(r.out(), "certificate-authority-data")).isEqualTo(Pem.encode(ca));
    CertificateChecks.verifySignedBy(client, ca);
    assertThat(
            CertificateChecks.keyMatches(
                client, Pem.decodePrivateKey(decoded(r.out(), "client-key-data"))))
        .isTrue();
    // One multi-valued RDN; DER sorts a SET's members, as Go's asn1 does since 1.15.
    assertThat(client.getSubjectX500Principal().getName())
        .isEqualTo("CN=jane,O=auditors+O=developers");
    assertThat(client.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
    assertThat(client.getNotBefore()).isEqualTo(ca.getNotBefore());
    assertThat(Duration.between(before, client.getNotAfter().toInstant()))
        .isBetween(Duration.ofHours(720).minusMinutes(1), Duration.ofHours(720).plusMinutes(1));

    Path file = tmp.resolve("jane.conf");
    Files.writeString(file, r.out());
    Path caFile = node.pki.resolve("ca.crt");
    Path certFile = tmp.resolve("jane.crt");
    Files.writeString(certFile, Pem.encode(client));
    assertThat(openssl("verify", "-CAfile", caFile.toString(), certFile.toString()))
        .isEqualTo(certFile + ": OK\n");
  }

  @Test
  void aPeriodLongerThanAYearIsWarnedAbout() throws Exception {
    var node = Node.init(tmp.resolve("node"), "");
    Node.Result r =
        node.onNode(
            "kubeconfig",
            "user",
            "--client-name",
            "ops",
            "--validity-period",
            "17520h",
            "--config",
            node.config.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err())
        .contains(
            "the specified certificate validity period 17520h0m0s is longer than the default"
                + " duration 8760h0m0s");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "no client name | --org=x | Missing required option: '--client-name=NAME'",
        "an empty client name | --client-name= | --client-name is empty",
        "a period that is not a duration | --client-name=a,--validity-period=a year | --validity-period a year: not a positive duration",
        "a negative period | --client-name=a,--validity-period=-1h | --validity-period -1h: not a positive duration",
      })
  void badFlagsAreUsageErrorsNamingTheFlag(String name, String flags, String message)
      throws Exception {
    var args = new ArrayList<>(List.of("kubeconfig", "user"));
    args.addAll(List.of(flags.split(",")));
    args.add("--kubernetes-dir");
    args.add(tmp.resolve("none").toString());
    Node.Result r = NodeLess.run(args.toArray(String[]::new));
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains(message);
    assertThat(r.out()).isEmpty();
  }

  @Test
  void withoutTheCaItFailsNamingTheMissingFile() throws Exception {
    Path dir = tmp.resolve("empty");
    Node.Result r =
        NodeLess.run(
            "kubeconfig", "user", "--client-name", "x", "--kubernetes-dir", dir.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("the CA files couldn't be loaded: " + dir.resolve("pki/ca.crt"));
    assertThat(r.out()).isEmpty();
  }

  private static String decoded(String kubeconfig, String field) {
    String line =
        kubeconfig.lines().filter(l -> l.strip().startsWith(field + ":")).findFirst().orElseThrow();
    return new String(
        Base64.getDecoder().decode(line.substring(line.indexOf(':') + 1).strip()),
        StandardCharsets.US_ASCII);
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
