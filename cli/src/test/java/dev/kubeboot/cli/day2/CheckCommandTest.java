package dev.kubeboot.cli.day2;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.kubeboot.pki.CertificateAuthority;
import dev.kubeboot.pki.CertificateChecks;
import dev.kubeboot.pki.CertificateIssuer;
import dev.kubeboot.pki.CertificateSpec;
import dev.kubeboot.pki.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kubeboot check on a node init made (certificates, kubeconfigs, manifests all agree), then on the
 * same node with one thing broken at a time: each break is found, named, and exits 1.
 */
class CheckCommandTest {
  @TempDir Path tmp;

  private Node.Result check(Node node, String... args) {
    var all = new java.util.ArrayList<>(List.of("check"));
    all.addAll(List.of(args));
    return node.onNode(all.toArray(String[]::new));
  }

  @Test
  void aFreshNodePassesEveryCheck() throws Exception {
    var node = Node.init(tmp.resolve("node"), "");

    Node.Result r = check(node);

    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(r.out())
        .contains("[ok]   manifest " + node.manifests.resolve("kube-apiserver.yaml") + ": decodes")
        .contains("[ok]   ca " + node.pki.resolve("ca.crt") + ": self-signed CA, key matches")
        .contains("[ok]   ca " + node.pki.resolve("etcd/ca.crt"))
        .contains("[ok]   ca " + node.pki.resolve("front-proxy-ca.crt"))
        .contains(
            "[ok]   certificate "
                + node.pki.resolve("apiserver.crt")
                + ": signed by "
                + node.pki.resolve("ca.crt")
                + ", key matches, SANs cover 127.0.0.1, valid until")
        .contains("[ok]   certificate " + node.pki.resolve("etcd/peer.crt"))
        .contains("[ok]   certificate " + node.pki.resolve("apiserver-etcd-client.crt"))
        .contains("[ok]   certificate " + node.pki.resolve("front-proxy-client.crt"))
        .contains(
            "[ok]   kubeconfig "
                + node.kubernetesDir.resolve("admin.conf")
                + ": carries the cluster CA; client certificate of CN=kubernetes-admin")
        .contains("[ok]   kubeconfig " + node.kubernetesDir.resolve("scheduler.conf"))
        .contains("[ok]   kubeconfig " + node.kubernetesDir.resolve("controller-manager.conf"))
        .doesNotContain("[FAIL]")
        .containsPattern("All \\d+ checks passed.\n$");
  }

  @Test
  void jsonListsEveryCheckWithItsProblems() throws Exception {
    var node = Node.init(tmp.resolve("node"), "");
    Files.delete(node.pki.resolve("front-proxy-client.key"));

    Node.Result r = check(node, "-o", "json");

    assertThat(r.code()).isEqualTo(1);
    Map<String, Object> doc = JSON.std.mapFrom(r.out());
    assertThat(doc.get("ok")).isEqualTo(false);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> checks = (List<Map<String, Object>>) doc.get("checks");
    Map<String, Object> failed =
        checks.stream().filter(c -> c.get("ok").equals(false)).findFirst().orElseThrow();
    assertThat(failed)
        .containsEntry("kind", "certificate")
        .containsEntry("file", node.pki.resolve("front-proxy-client.crt").toString())
        .containsEntry(
            "problems",
            List.of("its key " + node.pki.resolve("front-proxy-client.key") + " does not exist"));
    assertThat(checks.stream().filter(c -> c.get("ok").equals(false))).hasSize(1);
  }

  @Test
  void aCertificateOfAnotherCaAKeyOfAnotherCertAndAWrongKubeconfigCaAreFound() throws Exception {
    var node = Node.init(tmp.resolve("node"), "");
    var other = Node.init(tmp.resolve("other"), "");
    Files.copy(
        other.pki.resolve("apiserver.crt"),
        node.pki.resolve("apiserver.crt"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.copy(
        other.pki.resolve("etcd/peer.key"),
        node.pki.resolve("etcd/peer.key"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.copy(
        other.kubernetesDir.resolve("scheduler.conf"),
        node.kubernetesDir.resolve("scheduler.conf"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    Node.Result r = check(node);

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out())
        .contains(
            "[FAIL] certificate "
                + node.pki.resolve("apiserver.crt")
                + ": "
                + node.pki.resolve("apiserver.key")
                + " is not its key")
        .contains(
            "[FAIL] certificate "
                + node.pki.resolve("apiserver.crt")
                + ": does not chain to "
                + node.pki.resolve("ca.crt"))
        .contains(
            "[FAIL] certificate "
                + node.pki.resolve("etcd/peer.crt")
                + ": "
                + node.pki.resolve("etcd/peer.key")
                + " is not its key (the public keys differ)")
        .contains(
            "[FAIL] kubeconfig "
                + node.kubernetesDir.resolve("scheduler.conf")
                + ": certificate-authority-data is not the cluster CA "
                + node.pki.resolve("ca.crt"))
        .contains(
            "[FAIL] kubeconfig "
                + node.kubernetesDir.resolve("scheduler.conf")
                + ": its client certificate does not chain to "
                + node.pki.resolve("ca.crt"))
        .containsPattern("3 of \\d+ checks failed.\n$");
  }

  @Test
  void anEndpointTheApiServerCertificateDoesNotNameIsFound() throws Exception {
    var node = Node.init(tmp.resolve("node"), "");
    Path config = tmp.resolve("moved.yaml");
    Files.writeString(
        config,
        """
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: ClusterConfiguration
        controlPlaneEndpoint: cp.example.com:6443
        """);

    Node.Result r = check(node, "--config", config.toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out())
        .contains(
            "[FAIL] certificate "
                + node.pki.resolve("apiserver.crt")
                + ": its SANs do not cover DNS:cp.example.com (clients connect there)");
  }

  @Test
  void aMissingMountedFileAndAMissingKubeconfigAreFound() throws Exception {
    var node = Node.init(tmp.resolve("node"), "");
    Files.delete(node.kubernetesDir.resolve("controller-manager.conf"));

    Node.Result r = check(node);

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out())
        .contains(
            "[FAIL] manifest "
                + node.manifests.resolve("kube-controller-manager.yaml")
                + ": hostPath volume kubeconfig: "
                + node.kubernetesDir.resolve("controller-manager.conf")
                + " does not exist (type FileOrCreate): kube-controller-manager would start"
                + " without it")
        .contains(
            "[FAIL] kubeconfig "
                + node.kubernetesDir.resolve("controller-manager.conf")
                + ": cannot be read");
  }

  @Test
  void anExpiredCertificateIsFound() throws Exception {
    var node = Node.init(tmp.resolve("node"), "");
    // A client certificate of the same CA and key whose validity ended in 2021.
    Path pki = node.pki;
    X509Certificate ca = Pem.decodeCertificate(Files.readString(pki.resolve("front-proxy-ca.crt")));
    var caKey = Pem.decodePrivateKey(Files.readString(pki.resolve("front-proxy-ca.key")));
    var key = Pem.decodePrivateKey(Files.readString(pki.resolve("front-proxy-client.key")));
    Instant issued = Instant.parse("2020-01-01T00:00:00Z");
    X509Certificate old =
        new CertificateIssuer(issued, new SecureRandom())
            .issue(
                CertificateSpec.client("front-proxy-client", List.of()),
                CertificateChecks.publicKeyOf(key),
                new CertificateAuthority(ca, caKey),
                Duration.ofDays(366),
                issued);
    Files.writeString(pki.resolve("front-proxy-client.crt"), Pem.encode(old));

    Node.Result r = check(node);

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out())
        .contains(
            "[FAIL] certificate "
                + pki.resolve("front-proxy-client.crt")
                + ": expired on 2021-01-01T00:00:00Z: run kubeboot certs renew");
    assertThat(r.out()).containsPattern("1 of \\d+ checks failed.\n$");
  }

  @Test
  void badInputIsAUsageErrorNamingTheFlagOrTheField() throws Exception {
    Node.Result format = NodeLess.run("check", "-o", "yaml", "--kubernetes-dir", tmp.toString());
    assertThat(format.code()).isEqualTo(2);
    assertThat(format.err()).contains("--output yaml: not a format; use text or json");

    Path config = tmp.resolve("bad.yaml");
    Files.writeString(
        config,
        """
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: ClusterConfiguration
        controlPlaneEndpoint: "cp.example.com:notaport"
        """);
    Node.Result field =
        NodeLess.run("check", "--config", config.toString(), "--kubernetes-dir", tmp.toString());
    assertThat(field.code()).isEqualTo(2);
    assertThat(field.err()).contains("controlPlaneEndpoint");
  }

  @Test
  void aDirectoryWithoutManifestsFailsNamingIt() throws Exception {
    Node.Result r = NodeLess.run("check", "--kubernetes-dir", tmp.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out())
        .contains(
            "no control-plane manifest (etcd.yaml, kube-apiserver.yaml, ...) in "
                + tmp.resolve("manifests"));
  }
}
