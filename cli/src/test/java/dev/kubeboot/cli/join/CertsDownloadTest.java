package dev.kubeboot.cli.join;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpsServer;
import dev.kubeboot.cli.KubebootException;
import dev.kubeboot.cli.NodeCerts;
import dev.kubeboot.cli.cluster.CertificateKey;
import dev.kubeboot.cli.cluster.CertsCipher;
import dev.kubeboot.cli.cluster.UploadCertsObjects;
import dev.kubeboot.cli.config.Etcd;
import dev.kubeboot.cli.config.ExternalEtcd;
import dev.kubeboot.cli.config.LocalEtcd;
import dev.kubeboot.cli.io.AtomicFileSink;
import dev.kubeboot.cli.token.BootstrapTokenString;
import dev.kubeboot.pki.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * download-certs against a real HTTPS server holding a kubeadm-certs Secret encrypted by the
 * upload-certs code: the shared files arrive byte for byte, and a wrong key, a missing Secret or a
 * foreign file already on the node write nothing.
 */
class CertsDownloadTest {
  private static final BootstrapTokenString TOKEN =
      new BootstrapTokenString("abcdef", "0123456789abcdef");
  private static final CertificateKey KEY = CertificateKey.generate(new SecureRandom());
  private static final Etcd STACKED =
      new LocalEtcd(
          Optional.empty(),
          Optional.empty(),
          "/var/lib/etcd",
          List.of(),
          List.of(),
          List.of(),
          List.of());

  @TempDir static Path first;
  @TempDir Path joining;
  private HttpsServer server;
  private final AtomicReference<String> secretJson = new AtomicReference<>();
  private DiscoveredCluster cluster;

  @BeforeAll
  static void firstNode() {
    NodeCerts.issue(first);
  }

  @BeforeEach
  void serve() throws Exception {
    Path pki = first.resolve("pki");
    server = ApiServerTls.onLoopback(pki);
    server.createContext(
        "/api/v1/namespaces/kube-system/secrets/kubeadm-certs",
        exchange -> {
          String auth = exchange.getRequestHeaders().getFirst("Authorization");
          String body = secretJson.get();
          int status = body == null ? 404 : 200;
          if (!("Bearer " + TOKEN.value()).equals(auth)) {
            status = 401;
            body = "{\"kind\":\"Status\",\"code\":401}";
          } else if (body == null) {
            body = "{\"kind\":\"Status\",\"code\":404}";
          }
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    server.start();
    String caPem = Files.readString(pki.resolve("ca.crt"));
    cluster =
        new DiscoveredCluster(
            "https://127.0.0.1:" + server.getAddress().getPort(),
            caPem,
            Pem.decodeCertificates(caPem));
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void upload(CertificateKey key) throws IOException {
    upload(key, UploadCertsObjects.stackedEtcdFiles(first.resolve("pki")));
  }

  private void upload(CertificateKey key, List<UploadCertsObjects.CertFile> files)
      throws IOException {
    Map<String, String> data =
        UploadCertsObjects.encryptedData(
            files,
            f -> Files.exists(f) ? Optional.of(Files.readAllBytes(f)) : Optional.empty(),
            new CertsCipher(key, new SecureRandom()));
    secretJson.set(
        "{\"kind\":\"Secret\",\"data\":{"
            + data.entrySet().stream()
                .map(e -> "\"" + e.getKey() + "\":\"" + e.getValue() + "\"")
                .collect(Collectors.joining(","))
            + "}}");
  }

  private CertsDownload download() {
    return new CertsDownload(Duration.ofSeconds(5));
  }

  @Test
  void the_shared_material_arrives_byte_for_byte_with_private_keys_private() throws Exception {
    upload(KEY);
    Path pki = joining.resolve("pki");
    var written = download().download(cluster, TOKEN, KEY, pki, STACKED, new AtomicFileSink());
    assertThat(written).hasSize(8);
    for (String f :
        new String[] {
          "ca.crt",
          "ca.key",
          "sa.key",
          "sa.pub",
          "front-proxy-ca.crt",
          "front-proxy-ca.key",
          "etcd/ca.crt",
          "etcd/ca.key"
        }) {
      assertThat(pki.resolve(f)).hasSameBinaryContentAs(first.resolve("pki").resolve(f));
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pki.resolve("ca.key"))))
        .isEqualTo("rw-------");
    // A rerun finds the same files and is content.
    assertThat(download().download(cluster, TOKEN, KEY, pki, STACKED, new AtomicFileSink()))
        .hasSize(8);
  }

  @Test
  void a_wrong_certificate_key_writes_nothing() throws Exception {
    upload(KEY);
    CertificateKey other = CertificateKey.generate(new SecureRandom());
    assertThatThrownBy(
            () ->
                download()
                    .download(
                        cluster,
                        TOKEN,
                        other,
                        joining.resolve("pki"),
                        STACKED,
                        new AtomicFileSink()))
        .isInstanceOf(KubebootException.class)
        .hasMessageContaining("does not decrypt with the --certificate-key given")
        .hasMessageContaining("nothing was written");
    assertThat(joining.resolve("pki")).doesNotExist();
  }

  @Test
  void a_missing_secret_says_it_may_have_expired() throws Exception {
    assertThatThrownBy(
            () ->
                download()
                    .download(
                        cluster, TOKEN, KEY, joining.resolve("pki"), STACKED, new AtomicFileSink()))
        .isInstanceOf(KubebootException.class)
        .hasMessageContaining("not found: it might have expired");
    assertThat(joining.resolve("pki")).doesNotExist();
  }

  @Test
  void another_token_is_not_let_in() throws Exception {
    upload(KEY);
    var stranger = new BootstrapTokenString("abcdef", "ffffffffffffffff");
    assertThatThrownBy(
            () ->
                download()
                    .download(
                        cluster,
                        stranger,
                        KEY,
                        joining.resolve("pki"),
                        STACKED,
                        new AtomicFileSink()))
        .isInstanceOf(KubebootException.class)
        .hasMessageContaining("HTTP 401");
  }

  @Test
  void a_foreign_ca_already_on_the_node_is_not_replaced() throws Exception {
    upload(KEY);
    Path pki = joining.resolve("pki");
    Files.createDirectories(pki.resolve("etcd"));
    Files.writeString(pki.resolve("etcd/ca.crt"), "another cluster's CA\n");
    assertThatThrownBy(
            () -> download().download(cluster, TOKEN, KEY, pki, STACKED, new AtomicFileSink()))
        .isInstanceOf(KubebootException.class)
        .hasMessageContaining(pki.resolve("etcd/ca.crt") + " exists with content other than");
    assertThat(pki.resolve("ca.key")).doesNotExist();
    assertThat(pki.resolve("etcd/ca.crt")).hasContent("another cluster's CA");
  }

  /** The first node's external etcd client files, uploaded; the cluster names {@code dir}. */
  private ExternalEtcd externalEtcd(Path dir) throws IOException {
    Path source = Files.createDirectories(first.resolve("external-etcd"));
    for (String name : List.of("ca.crt", "client.crt", "client.key")) {
      Files.writeString(source.resolve(name), "external etcd " + name + "\n");
    }
    upload(
        KEY,
        UploadCertsObjects.externalEtcdFiles(
            first.resolve("pki"),
            Optional.of(source.resolve("ca.crt").toString()),
            Optional.of(source.resolve("client.crt").toString()),
            Optional.of(source.resolve("client.key").toString())));
    return new ExternalEtcd(
        List.of("https://192.0.2.1:2379"),
        Optional.of(dir.resolve("ca.crt").toString()),
        Optional.of(dir.resolve("client.crt").toString()),
        Optional.of(dir.resolve("client.key").toString()));
  }

  @Test
  void external_etcd_client_files_go_to_the_clusters_paths_the_key_private() throws Exception {
    Path client = joining.resolve("elsewhere/etcd-client");
    ExternalEtcd etcd = externalEtcd(client);
    Path pki = joining.resolve("pki");

    var written = download().download(cluster, TOKEN, KEY, pki, etcd, new AtomicFileSink());

    assertThat(written)
        .hasSize(9)
        .contains(client.resolve("ca.crt"), client.resolve("client.crt"))
        .doesNotContain(pki.resolve("etcd/ca.crt"));
    for (String name : List.of("ca.crt", "client.crt", "client.key")) {
      assertThat(client.resolve(name))
          .hasSameBinaryContentAs(first.resolve("external-etcd").resolve(name));
    }
    // client.key does not end in a pki name kubeboot knows: the Secret's key says it is private.
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(client.resolve("client.key"))))
        .isEqualTo("rw-------");
    assertThat(
            PosixFilePermissions.toString(Files.getPosixFilePermissions(client.resolve("ca.crt"))))
        .isEqualTo("rw-r--r--");
    assertThat(pki.resolve("etcd")).doesNotExist();
  }

  @Test
  void an_external_etcd_directory_another_user_owns_gets_no_file_and_neither_does_pki()
      throws Exception {
    assumeTrue(
        (int) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0,
        "needs root, to give the directory to another user");
    // The directory etcd.external names belongs to nobody: nobody could swap it for a link while
    // root writes the etcd client key into it.
    Files.setPosixFilePermissions(joining, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path theirs = Files.createDirectories(joining.resolve("theirs"));
    Files.setOwner(
        theirs,
        theirs.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
    ExternalEtcd etcd = externalEtcd(theirs.resolve("etcd-client"));
    Path pki = joining.resolve("pki");
    // nobody, as nobody, could indeed write there.
    var plant =
        new ProcessBuilder(
                "setpriv",
                "--reuid=nobody",
                "--regid=nogroup",
                "--clear-groups",
                "mkdir",
                theirs.resolve("planted").toString())
            .redirectErrorStream(true)
            .start();
    assertThat(plant.waitFor()).as(new String(plant.getInputStream().readAllBytes())).isZero();

    assertThatThrownBy(
            () -> download().download(cluster, TOKEN, KEY, pki, etcd, new AtomicFileSink()))
        .isInstanceOf(KubebootException.class)
        .hasMessageContaining(theirs + " on the way to it is owned by nobody")
        .hasMessageContaining("no file was written");
    assertThat(pki.resolve("ca.key")).doesNotExist();
    assertThat(theirs.resolve("etcd-client")).doesNotExist();
  }
}
