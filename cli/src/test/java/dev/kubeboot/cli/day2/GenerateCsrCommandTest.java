package dev.kubeboot.cli.day2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeboot.pki.Pem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * kubeadm certs generate-csr: kubeadm's output lines and files (keys, CSRs, key-only kubeconfigs,
 * certphase.CreateDefaultKeysAndCSRFiles and kubeconfigphase.CreateDefaultKubeConfigsAndCSRFiles),
 * each request for the subject and names init would sign, checked with openssl.
 */
class GenerateCsrCommandTest {
  @TempDir Path tmp;

  private Path config() throws Exception {
    Path config = tmp.resolve("kubeadm.yaml");
    Files.writeString(
        config,
        """
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: InitConfiguration
        localAPIEndpoint:
          advertiseAddress: 10.0.0.5
        nodeRegistration:
          name: cp-1
        ---
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: ClusterConfiguration
        encryptionAlgorithm: ECDSA-P256
        controlPlaneEndpoint: lb.example.com
        """);
    return config;
  }

  private Node.Result generate(Path kubernetesDir) throws Exception {
    return NodeLess.run(
        "certs",
        "generate-csr",
        "--config",
        config().toString(),
        "--kubernetes-dir",
        kubernetesDir.toString());
  }

  @Test
  void writesAKeyAndARequestForEveryCertificateAndKubeconfigAndSaysWhereAsKubeadm()
      throws Exception {
    Path dir = tmp.resolve("kubernetes");
    Node.Result r = generate(dir);
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .isEqualTo(
            """
            generating keys and CSRs in %s/pki
              apiserver
              apiserver-kubelet-client
              front-proxy-client
              etcd/server
              etcd/peer
              etcd/healthcheck-client
              apiserver-etcd-client
            generating keys and CSRs in %s
              admin.conf
              super-admin.conf
              kubelet.conf
              controller-manager.conf
              scheduler.conf
            """
                .formatted(dir, dir));
    for (String base :
        List.of(
            "apiserver",
            "apiserver-kubelet-client",
            "front-proxy-client",
            "etcd/server",
            "etcd/peer",
            "etcd/healthcheck-client",
            "apiserver-etcd-client")) {
      assertThat(mode(dir.resolve("pki/" + base + ".key"))).as(base).isEqualTo("rw-------");
      assertThat(mode(dir.resolve("pki/" + base + ".csr"))).as(base).isEqualTo("rw-r--r--");
      String key = Files.readString(dir.resolve("pki/" + base + ".key"));
      assertThat(key).as("ECDSA-P256 from the config").startsWith("-----BEGIN EC PRIVATE KEY");
      assertThat(openssl("req", "-noout", "-pubkey", "-in", dir.resolve("pki/" + base + ".csr")))
          .as("%s.csr is for %s.key", base, base)
          .isEqualTo(
              Pem.encode(
                  dev.kubeboot.pki.CertificateChecks.publicKeyOf(Pem.decodePrivateKey(key))));
    }
    try (Stream<Path> files = Files.list(dir.resolve("pki"))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .as("no CA: the external CA signs")
          .doesNotContain("ca.crt", "ca.key", "front-proxy-ca.key");
    }
    String apiserver =
        openssl("req", "-verify", "-noout", "-text", "-in", dir.resolve("pki/apiserver.csr"));
    assertThat(apiserver)
        .contains("Certificate request self-signature verify OK")
        .contains("Subject: CN = kube-apiserver")
        .contains(
            "DNS:cp-1, DNS:kubernetes, DNS:kubernetes.default, DNS:kubernetes.default.svc,"
                + " DNS:kubernetes.default.svc.cluster.local, DNS:lb.example.com, IP"
                + " Address:10.96.0.1, IP Address:10.0.0.5");
    assertThat(openssl("req", "-noout", "-subject", "-in", dir.resolve("pki/etcd/peer.csr")))
        .isEqualTo("subject=CN = cp-1\n");
    assertThat(
            openssl(
                "req",
                "-noout",
                "-subject",
                "-in",
                dir.resolve("pki/apiserver-kubelet-client.csr")))
        .isEqualTo("subject=O = kubeadm:cluster-admins, CN = kube-apiserver-kubelet-client\n");
  }

  @Test
  void eachKubeconfigHoldsOnlyItsKeyAndItsRequestNamesItsUser() throws Exception {
    Path dir = tmp.resolve("kubernetes");
    assertThat(generate(dir).code()).isZero();
    Map<String, String> subjects =
        Map.of(
            "admin.conf", "subject=O = kubeadm:cluster-admins, CN = kubernetes-admin\n",
            "super-admin.conf", "subject=O = system:masters, CN = kubernetes-super-admin\n",
            "kubelet.conf", "subject=O = system:nodes, CN = system:node:cp-1\n",
            "controller-manager.conf", "subject=CN = system:kube-controller-manager\n",
            "scheduler.conf", "subject=CN = system:kube-scheduler\n");
    for (var e : subjects.entrySet()) {
      Path file = dir.resolve(e.getKey());
      assertThat(mode(file)).isEqualTo("rw-------");
      assertThat(
              openssl(
                  "req", "-verify", "-noout", "-subject", "-in", dir.resolve(e.getKey() + ".csr")))
          .contains(e.getValue());
      Map<String, Object> kubeconfig = new Yaml().load(Files.readString(file));
      @SuppressWarnings("unchecked")
      Map<String, Object> cluster =
          (Map<String, Object>)
              ((Map<String, Object>) ((List<?>) kubeconfig.get("clusters")).getFirst())
                  .get("cluster");
      @SuppressWarnings("unchecked")
      Map<String, Object> user =
          (Map<String, Object>)
              ((Map<String, Object>) ((List<?>) kubeconfig.get("users")).getFirst()).get("user");
      assertThat(cluster).as(e.getKey()).containsOnlyKeys("server");
      assertThat(user).as(e.getKey()).containsOnlyKeys("client-key-data");
      String key =
          new String(
              Base64.getDecoder().decode((String) user.get("client-key-data")),
              StandardCharsets.US_ASCII);
      assertThat(openssl("req", "-noout", "-pubkey", "-in", dir.resolve(e.getKey() + ".csr")))
          .isEqualTo(
              Pem.encode(
                  dev.kubeboot.pki.CertificateChecks.publicKeyOf(Pem.decodePrivateKey(key))));
    }
    assertThat(Files.readString(dir.resolve("admin.conf")))
        .contains("server: https://lb.example.com:6443");
    assertThat(Files.readString(dir.resolve("scheduler.conf")))
        .contains("server: https://10.0.0.5:6443");
  }

  @Test
  void anExistingKeyRequestOrKubeconfigStopsItBeforeAnythingIsWritten() throws Exception {
    Path dir = tmp.resolve("kubernetes");
    Files.createDirectories(dir.resolve("pki/etcd"));
    Files.writeString(dir.resolve("pki/etcd/peer.csr"), "mine");
    Files.writeString(dir.resolve("scheduler.conf"), "mine too");

    Node.Result r = generate(dir);

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .contains(
            "file already exists: "
                + dir.resolve("pki/etcd/peer.csr")
                + ", "
                + dir.resolve("scheduler.conf"))
        .contains("nothing was written");
    try (Stream<Path> files = Files.walk(dir)) {
      assertThat(files.filter(Files::isRegularFile).map(dir::relativize).map(Path::toString))
          .containsExactlyInAnyOrder("pki/etcd/peer.csr", "scheduler.conf");
    }
    assertThat(Files.readString(dir.resolve("scheduler.conf"))).isEqualTo("mine too");
  }

  private static String mode(Path file) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
  }

  private static String openssl(Object... args) throws Exception {
    var command = new ArrayList<String>();
    command.add("openssl");
    for (Object a : args) {
      command.add(a.toString());
    }
    var process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(output).isZero();
    return output;
  }
}
