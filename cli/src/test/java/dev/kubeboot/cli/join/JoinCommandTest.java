package dev.kubeboot.cli.join;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.kubeboot.cli.Main;
import dev.kubeboot.cli.cluster.CertificateKey;
import dev.kubeboot.cli.cluster.CertsCipher;
import dev.kubeboot.cli.cluster.ClusterInfoObjects;
import dev.kubeboot.cli.cluster.UploadCertsObjects;
import dev.kubeboot.cli.token.BootstrapTokenString;
import dev.kubeboot.pki.Pem;
import dev.kubeboot.pki.PublicKeyPins;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kubeboot join} against a real HTTPS server that answers as the first node's API server
 * does for a joining node (cluster-info signed for the token, kubeadm-config and kubeadm-certs for
 * the bootstrap token only): what is refused writes nothing, and the preparing phases make this
 * node's certificates, kubeconfigs and manifests from the cluster's CA and configuration.
 */
class JoinCommandTest {
  private static final BootstrapTokenString TOKEN =
      new BootstrapTokenString("abcdef", "0123456789abcdef");
  private static final CertificateKey KEY = CertificateKey.generate(new SecureRandom());

  @TempDir static Path first;
  @TempDir Path joining;
  private HttpsServer server;
  private String endpoint;
  private String pin;
  private final AtomicReference<String> clusterConfiguration = new AtomicReference<>();

  @BeforeAll
  static void firstNode() {
    var out = new StringWriter();
    int code =
        Main.run(
            new PrintWriter(out),
            new PrintWriter(out),
            "init",
            "phase",
            "certs",
            "all",
            "--kubernetes-dir",
            first.toString(),
            "--node-name",
            "node1",
            "--apiserver-advertise-address",
            "127.0.0.1");
    assertThat(code).as(out.toString()).isZero();
  }

  @BeforeEach
  void serve() throws Exception {
    Path pki = first.resolve("pki");
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry(
        "server",
        Pem.decodePrivateKey(Files.readString(pki.resolve("apiserver.key"))),
        new char[0],
        new X509Certificate[] {
          Pem.decodeCertificate(Files.readString(pki.resolve("apiserver.crt")))
        });
    var kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, new char[0]);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(kmf.getKeyManagers(), null, null);
    server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(ssl));
    endpoint = "127.0.0.1:" + server.getAddress().getPort();
    String caPem = Files.readString(pki.resolve("ca.crt"));
    pin = PublicKeyPins.sha256(Pem.decodeCertificate(caPem));
    String kubeconfig = ClusterInfoObjects.kubeconfig("https://" + endpoint, caPem);
    String clusterInfo =
        json(
            Map.of(
                "kubeconfig",
                kubeconfig,
                "jws-kubeconfig-" + TOKEN.id(),
                DetachedJws.sign(kubeconfig, TOKEN)));
    clusterConfiguration.set(
        """
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: ClusterConfiguration
        kubernetesVersion: v1.34.1
        controlPlaneEndpoint: %s
        certificatesDir: /etc/kubernetes/pki
        clusterName: kubernetes
        etcd:
          local:
            dataDir: /var/lib/etcd
        networking:
          dnsDomain: cluster.local
          serviceSubnet: 10.96.0.0/12
        """
            .formatted(endpoint));
    Map<String, String> certs =
        UploadCertsObjects.encryptedData(
            UploadCertsObjects.stackedEtcdFiles(pki),
            f -> Files.exists(f) ? Optional.of(Files.readAllBytes(f)) : Optional.empty(),
            new CertsCipher(KEY, new SecureRandom()));
    server.createContext(
        "/api/v1/namespaces/kube-public/configmaps/cluster-info",
        exchange -> answer(exchange, 200, "{\"data\":" + clusterInfo + "}"));
    server.createContext(
        "/api/v1/namespaces/kube-system/configmaps/kubeadm-config",
        exchange ->
            answerWithToken(
                exchange,
                "{\"data\":"
                    + json(Map.of("ClusterConfiguration", clusterConfiguration.get()))
                    + "}"));
    server.createContext(
        "/api/v1/namespaces/kube-system/secrets/kubeadm-certs",
        exchange -> answerWithToken(exchange, "{\"data\":" + json(certs) + "}"));
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private static void answerWithToken(HttpExchange exchange, String body) throws IOException {
    String auth = exchange.getRequestHeaders().getFirst("Authorization");
    if (!("Bearer " + TOKEN.value()).equals(auth)) {
      answer(exchange, 401, "{\"kind\":\"Status\",\"code\":401}");
    } else {
      answer(exchange, 200, body);
    }
  }

  private static void answer(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  private static String json(Map<String, String> data) {
    return "{"
        + data.entrySet().stream()
            .map(e -> quote(e.getKey()) + ":" + quote(e.getValue()))
            .collect(Collectors.joining(","))
        + "}";
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }

  private record Run(int code, String out, String err) {}

  private Run join(String... extra) {
    return join(KEY, extra);
  }

  private Run join(CertificateKey key, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "join",
                endpoint,
                "--token",
                TOKEN.value(),
                "--discovery-token-ca-cert-hash",
                pin,
                "--control-plane",
                "--certificate-key",
                key.hex(),
                "--kubernetes-dir",
                joining.toString(),
                "--node-name",
                "node2",
                "--apiserver-advertise-address",
                "127.0.0.2",
                "--ignore-preflight-errors",
                "all"));
    args.addAll(List.of(extra));
    return run(args);
  }

  private static Run run(Collection<String> args) {
    var out = new StringWriter();
    var err = new StringWriter();
    int code = Main.run(new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));
    return new Run(code, out.toString(), err.toString());
  }

  private List<Path> written() throws IOException {
    if (!Files.exists(joining)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(joining)) {
      return files.filter(Files::isRegularFile).toList();
    }
  }

  private static final List<String> PREPARE_ONLY =
      List.of("--skip-phases", "runner-start,control-plane-join,wait-control-plane");

  @Test
  void the_preparing_phases_make_this_nodes_files_from_the_clusters_ca_and_configuration()
      throws Exception {
    Run run = join(PREPARE_ONLY.toArray(String[]::new));
    assertThat(run.code()).as(run.out() + run.err()).isZero();
    Path pki = joining.resolve("pki");
    for (String shared :
        List.of("ca.crt", "ca.key", "sa.key", "front-proxy-ca.crt", "etcd/ca.crt", "etcd/ca.key")) {
      assertThat(pki.resolve(shared)).hasSameBinaryContentAs(first.resolve("pki").resolve(shared));
    }
    assertThat(run.out())
        .contains("[download-certs] Downloading the certificates in Secret \"kubeadm-certs\"")
        .contains("[certs] Generating \"apiserver\" certificate and key")
        .doesNotContain("Generating \"ca\"")
        .doesNotContain("Generating \"sa\"");
    X509Certificate apiserver =
        Pem.decodeCertificate(Files.readString(pki.resolve("apiserver.crt")));
    assertThat(sans(apiserver)).contains("127.0.0.2", "node2", "kubernetes.default.svc");
    X509Certificate ca = Pem.decodeCertificate(Files.readString(pki.resolve("ca.crt")));
    apiserver.verify(ca.getPublicKey());
    X509Certificate etcdServer =
        Pem.decodeCertificate(Files.readString(pki.resolve("etcd/server.crt")));
    assertThat(sans(etcdServer)).contains("127.0.0.2", "node2");
    X509Certificate etcdPeer =
        Pem.decodeCertificate(Files.readString(pki.resolve("etcd/peer.crt")));
    assertThat(sans(etcdPeer)).contains("127.0.0.2");
    // admin.conf talks to the control-plane endpoint, the components to this node's API server;
    // super-admin.conf stays with the first node.
    assertThat(Files.readString(joining.resolve("admin.conf"))).contains("https://" + endpoint);
    assertThat(Files.readString(joining.resolve("controller-manager.conf")))
        .contains("https://127.0.0.2:6443");
    assertThat(joining.resolve("super-admin.conf")).doesNotExist();
    String apiserverManifest = Files.readString(joining.resolve("manifests/kube-apiserver.yaml"));
    assertThat(apiserverManifest)
        .contains("--advertise-address=127.0.0.2")
        .contains("--client-ca-file=" + pki.resolve("ca.crt"));
    // etcd's manifest is written only once its member was added (control-plane-join/etcd).
    assertThat(joining.resolve("manifests/etcd.yaml")).doesNotExist();
  }

  private static List<String> sans(X509Certificate cert) throws Exception {
    List<String> out = new ArrayList<>();
    for (List<?> san : cert.getSubjectAlternativeNames()) {
      out.add(String.valueOf(san.get(1)));
    }
    return out;
  }

  @Test
  void a_ca_hash_that_does_not_match_refuses_before_anything_is_written() throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "join",
                endpoint,
                "--token",
                TOKEN.value(),
                "--discovery-token-ca-cert-hash",
                "sha256:" + "ab".repeat(32),
                "--control-plane",
                "--certificate-key",
                KEY.hex(),
                "--kubernetes-dir",
                joining.toString(),
                "--ignore-preflight-errors",
                "all"));
    Run run = run(args);
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err())
        .contains("does not match --discovery-token-ca-cert-hash")
        .contains("nothing was written");
    assertThat(written()).isEmpty();
  }

  @Test
  void a_token_the_cluster_does_not_know_is_refused_before_anything_is_written() throws Exception {
    Path config = Files.createTempFile("join", ".yaml");
    Files.writeString(
        config,
        """
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: JoinConfiguration
        timeouts:
          discovery: 1s
        """);
    var stranger = new BootstrapTokenString("zzzzzz", "0123456789abcdef");
    Run run =
        run(
            List.of(
                "join",
                endpoint,
                "--config",
                config.toString(),
                "--token",
                stranger.value(),
                "--discovery-token-ca-cert-hash",
                pin,
                "--control-plane",
                "--kubernetes-dir",
                joining.toString()));
    Files.delete(config);
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).contains("token id \"zzzzzz\" is invalid for this cluster");
    assertThat(written()).isEmpty();
  }

  @Test
  void a_wrong_certificate_key_writes_nothing() throws Exception {
    Run run = join(CertificateKey.generate(new SecureRandom()));
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err())
        .contains("phase control-plane-prepare/download-certs")
        .contains("does not decrypt with the --certificate-key given");
    assertThat(written()).isEmpty();
  }

  @Test
  void a_cluster_without_a_control_plane_endpoint_gets_no_second_control_plane() throws Exception {
    clusterConfiguration.set(
        clusterConfiguration.get().replace("controlPlaneEndpoint: " + endpoint + "\n", ""));
    Run run = join();
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).contains("doesn't have a stable controlPlaneEndpoint address");
    assertThat(written()).isEmpty();
  }

  @Test
  void a_dry_run_reads_the_cluster_and_writes_nothing() throws Exception {
    Run run = join("--dry-run");
    assertThat(run.code()).as(run.out() + run.err()).isZero();
    assertThat(run.out())
        .contains("[dryrun] Would write")
        .contains("[dryrun] Would add etcd member node2 (peer URL https://127.0.0.2:2380)")
        .doesNotContain("PRIVATE KEY");
    assertThat(written()).isEmpty();
  }

  @Test
  void join_phase_runs_one_phase_with_joins_flags() throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "join",
                "phase",
                "control-plane-prepare",
                "download-certs",
                endpoint,
                "--token",
                TOKEN.value(),
                "--discovery-token-ca-cert-hash",
                pin,
                "--control-plane",
                "--certificate-key",
                KEY.hex(),
                "--kubernetes-dir",
                joining.toString()));
    Run run = run(args);
    assertThat(run.code()).as(run.out() + run.err()).isZero();
    assertThat(joining.resolve("pki/ca.key")).exists();
    assertThat(joining.resolve("pki/apiserver.crt")).doesNotExist();
  }
}
