package dev.kubeboot.cli.join;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsServer;
import dev.kubeboot.cli.CliRun;
import dev.kubeboot.cli.NodeCerts;
import dev.kubeboot.cli.cluster.CertificateKey;
import dev.kubeboot.cli.cluster.CertsCipher;
import dev.kubeboot.cli.cluster.ClusterInfoObjects;
import dev.kubeboot.cli.cluster.UploadCertsObjects;
import dev.kubeboot.cli.token.BootstrapTokenString;
import dev.kubeboot.pki.Pem;
import dev.kubeboot.pki.PublicKeyPins;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
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

  /** Outside this node's kubernetes dir: the first node's files and the etcd.external paths. */
  @TempDir Path elsewhere;

  private HttpsServer server;
  private String endpoint;
  private String pin;
  private final AtomicReference<String> clusterConfiguration = new AtomicReference<>();
  private final AtomicReference<Map<String, String>> certs = new AtomicReference<>();

  /** Requests for anything the first node's API server was not set up to answer. */
  private final List<String> unexpected = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void firstNode() {
    NodeCerts.issue(first);
  }

  @BeforeEach
  void serve() throws Exception {
    Path pki = first.resolve("pki");
    server = ApiServerTls.onLoopback(pki);
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
    certs.set(encrypted(UploadCertsObjects.stackedEtcdFiles(pki)));
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
        exchange -> answerWithToken(exchange, "{\"data\":" + json(certs.get()) + "}"));
    server.createContext(
        "/",
        exchange -> {
          unexpected.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
          answer(exchange, 404, "{\"kind\":\"Status\",\"code\":404}");
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private static Map<String, String> encrypted(List<UploadCertsObjects.CertFile> files)
      throws IOException {
    return UploadCertsObjects.encryptedData(
        files,
        f -> Files.exists(f) ? Optional.of(Files.readAllBytes(f)) : Optional.empty(),
        new CertsCipher(KEY, new SecureRandom()));
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

  private CliRun join(String... extra) {
    return join(KEY, extra);
  }

  private CliRun join(CertificateKey key, String... extra) {
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

  private static CliRun run(Collection<String> args) {
    return CliRun.kubeboot(args.toArray(String[]::new));
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
    CliRun run = join(PREPARE_ONLY.toArray(String[]::new));
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
    CliRun run = run(args);
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
    CliRun run =
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
    CliRun run = join(CertificateKey.generate(new SecureRandom()));
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
    CliRun run = join();
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).contains("doesn't have a stable controlPlaneEndpoint address");
    assertThat(written()).isEmpty();
  }

  @Test
  void a_dry_run_reads_the_cluster_and_writes_nothing() throws Exception {
    CliRun run = join("--dry-run");
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
    CliRun run = run(args);
    assertThat(run.code()).as(run.out() + run.err()).isZero();
    assertThat(joining.resolve("pki/ca.key")).exists();
    assertThat(joining.resolve("pki/apiserver.crt")).doesNotExist();
  }

  /**
   * The first node's external etcd client files (any bytes: nothing here talks to that etcd), put
   * in the Secret as its upload-certs does, and a ClusterConfiguration naming where they belong:
   * under {@code dir}, which this node does not have yet. Its endpoint is a closed port, so any
   * attempt to reach that etcd would fail the join.
   */
  private Map<String, Path> externalEtcdCluster(Path dir) throws IOException {
    Path source = Files.createDirectories(elsewhere.resolve("first-node"));
    Map<String, Path> configured = new java.util.LinkedHashMap<>();
    for (String name : List.of("ca.crt", "client.crt", "client.key")) {
      Files.writeString(source.resolve(name), "external etcd " + name + " of the first node\n");
      configured.put(name, dir.resolve(name));
    }
    certs.set(
        encrypted(
            UploadCertsObjects.externalEtcdFiles(
                first.resolve("pki"),
                Optional.of(source.resolve("ca.crt").toString()),
                Optional.of(source.resolve("client.crt").toString()),
                Optional.of(source.resolve("client.key").toString()))));
    clusterConfiguration.set(
        clusterConfiguration
            .get()
            .replace(
                """
                etcd:
                  local:
                    dataDir: /var/lib/etcd
                """,
                """
                etcd:
                  external:
                    endpoints: [https://127.0.0.1:1]
                    caFile: %s
                    certFile: %s
                    keyFile: %s
                """
                    .formatted(
                        configured.get("ca.crt"),
                        configured.get("client.crt"),
                        configured.get("client.key"))));
    return configured;
  }

  private static final List<String> WITHOUT_RUNNER_AND_API =
      List.of(
          "--skip-phases", "runner-start,control-plane-join/mark-control-plane,wait-control-plane");

  @Test
  void with_an_external_etcd_its_client_files_land_at_the_clusters_paths_and_no_member_is_added()
      throws Exception {
    Path client = elsewhere.resolve("etcd-client");
    Map<String, Path> configured = externalEtcdCluster(client);

    CliRun run = join(WITHOUT_RUNNER_AND_API.toArray(String[]::new));

    assertThat(run.code()).as(run.out() + run.err()).isZero();
    Path source = elsewhere.resolve("first-node");
    for (var file : configured.entrySet()) {
      assertThat(file.getValue()).hasSameBinaryContentAs(source.resolve(file.getKey()));
    }
    assertThat(permissions(configured.get("client.key"))).isEqualTo("rw-------");
    assertThat(permissions(configured.get("client.crt"))).isEqualTo("rw-r--r--");
    assertThat(permissions(client)).isEqualTo("rwx------");
    Path pki = joining.resolve("pki");
    assertThat(pki.resolve("ca.key")).hasSameBinaryContentAs(first.resolve("pki/ca.key"));
    // No etcd CA travels, no etcd certificate is made, no etcd member is added or started.
    assertThat(pki.resolve("etcd")).doesNotExist();
    assertThat(pki.resolve("apiserver-etcd-client.crt")).doesNotExist();
    assertThat(joining.resolve("manifests/etcd.yaml")).doesNotExist();
    assertThat(run.out())
        .contains("[etcd] External etcd mode: Skipping the etcd member join")
        .contains("Saving the external etcd client files to the paths of etcd.external")
        .doesNotContain("A new etcd member was added");
    assertThat(unexpected).as("no etcd Pod is looked for").isEmpty();
    String apiserver = Files.readString(joining.resolve("manifests/kube-apiserver.yaml"));
    assertThat(apiserver)
        .contains("- --etcd-servers=https://127.0.0.1:1\n")
        .contains("- --etcd-cafile=" + configured.get("ca.crt") + "\n")
        .contains("- --etcd-certfile=" + configured.get("client.crt") + "\n")
        .contains("- --etcd-keyfile=" + configured.get("client.key") + "\n");
    // Preflight leaves the client files to download-certs, as kubeadm does: not even a warning.
    assertThat(run.out()).doesNotContain("ExternalEtcd");
  }

  @Test
  void without_a_certificate_key_preflight_looks_for_the_external_etcd_files() throws Exception {
    Path client = elsewhere.resolve("etcd-client");
    Map<String, Path> configured = externalEtcdCluster(client);
    List<String> args =
        new ArrayList<>(
            List.of(
                "join",
                "phase",
                "preflight",
                endpoint,
                "--token",
                TOKEN.value(),
                "--discovery-token-ca-cert-hash",
                pin,
                "--control-plane",
                "--kubernetes-dir",
                joining.toString(),
                "--ignore-preflight-errors",
                "all"));
    CliRun run = run(args);
    assertThat(run.code()).as(run.out() + run.err()).isZero();
    assertThat(run.out())
        .contains(
            "[WARNING ExternalEtcdClientCertificates]: ClusterConfiguration.etcd.external.keyFile: "
                + configured.get("client.key")
                + " does not exist");
  }

  @Test
  void an_external_etcd_file_with_other_content_on_this_node_is_not_replaced() throws Exception {
    Path client = elsewhere.resolve("etcd-client");
    Map<String, Path> configured = externalEtcdCluster(client);
    Files.createDirectories(client);
    Files.writeString(configured.get("client.crt"), "this node's own client certificate\n");

    CliRun run = join(WITHOUT_RUNNER_AND_API.toArray(String[]::new));

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err())
        .contains(
            configured.get("client.crt")
                + " (ClusterConfiguration.etcd.external.certFile) exists with content other than"
                + " the one the cluster uploaded")
        .contains("nothing was written");
    assertThat(configured.get("client.crt")).hasContent("this node's own client certificate");
    assertThat(configured.get("client.key")).doesNotExist();
    assertThat(written()).isEmpty();
  }

  private static String permissions(Path file) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
  }
}
