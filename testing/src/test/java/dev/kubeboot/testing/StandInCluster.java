package dev.kubeboot.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeboot.pki.CertificateAuthority;
import dev.kubeboot.pki.ExtendedKeyUsage;
import dev.kubeboot.pki.KeyAlgorithm;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.X509KeyManager;

/**
 * One test cluster: certificates made with kubeboot-pki, Debian's etcd over mTLS, and any number of
 * kube-apiserver stand-ins on it (as kubeadm's manifests start them), plus clients: HTTP with the
 * admin certificate, anonymous or with a bearer token, kubectl and etcdctl.
 */
final class StandInCluster implements AutoCloseable {
  final Path dir;
  final TestPki pki;
  final EtcdProcess etcd;
  private final List<StandIn> started = new ArrayList<>();

  private StandInCluster(Path dir, TestPki pki, EtcdProcess etcd) {
    this.dir = dir;
    this.pki = pki;
    this.etcd = etcd;
  }

  static StandInCluster start(Path dir) throws Exception {
    TestPki pki = new TestPki(dir);
    CertificateAuthority ca = pki.ca("ca");
    CertificateAuthority etcdCa = pki.ca("etcd-ca");
    pki.leaf(
        "apiserver",
        ca,
        "kube-apiserver",
        List.of(),
        KeyAlgorithm.ECDSA_P256,
        ExtendedKeyUsage.SERVER_AUTH);
    pki.leaf(
        "admin",
        ca,
        "kubernetes-admin",
        List.of("system:masters"),
        KeyAlgorithm.ECDSA_P256,
        ExtendedKeyUsage.CLIENT_AUTH);
    pki.leaf(
        "controller-manager",
        ca,
        "system:kube-controller-manager",
        List.of(),
        KeyAlgorithm.ECDSA_P256,
        ExtendedKeyUsage.CLIENT_AUTH);
    pki.leaf(
        "etcd-server",
        etcdCa,
        "etcd",
        List.of(),
        KeyAlgorithm.ECDSA_P256,
        ExtendedKeyUsage.SERVER_AUTH,
        ExtendedKeyUsage.CLIENT_AUTH);
    pki.leaf(
        "etcd-client",
        etcdCa,
        "kube-apiserver-etcd-client",
        List.of(),
        KeyAlgorithm.ECDSA_P256,
        ExtendedKeyUsage.CLIENT_AUTH);
    EtcdProcess etcd = EtcdProcess.start(pki, dir.resolve("etcd-data"), dir.resolve("etcd.log"));
    return new StandInCluster(dir, pki, etcd);
  }

  /** A kube-apiserver stand-in on this etcd, on a free port, flags as kubeadm renders them. */
  ApiServerStandIn apiServer() throws Exception {
    Flags flags =
        Flags.parse(
            List.of(
                "--advertise-address=127.0.0.1",
                "--allow-privileged=true",
                "--authorization-mode=Node,RBAC",
                "--bind-address=127.0.0.1",
                "--client-ca-file=" + pki.crt("ca"),
                "--enable-bootstrap-token-auth=true",
                "--etcd-cafile=" + pki.crt("etcd-ca"),
                "--etcd-certfile=" + pki.crt("etcd-client"),
                "--etcd-keyfile=" + pki.key("etcd-client"),
                "--etcd-servers=" + etcd.clientUrl,
                "--secure-port=0",
                "--tls-cert-file=" + pki.crt("apiserver"),
                "--tls-private-key-file=" + pki.key("apiserver")));
    ApiServerStandIn server = ApiServerStandIn.start(flags, Clock.systemUTC(), "v1.34.2-standin");
    started.add(server);
    awaitReady(server);
    return server;
  }

  /** A kube-controller-manager stand-in with kubeadm's controllers, talking to {@code server}. */
  ComponentStandIn controllerManager(ApiServerStandIn server) throws Exception {
    Path kubeconfig =
        pki.kubeconfig("controller-manager", base(server).toString(), "ca", "controller-manager");
    ComponentStandIn cm =
        ComponentStandIn.start(
            ComponentStandIn.Component.CONTROLLER_MANAGER,
            Flags.parse(
                List.of(
                    "--bind-address=127.0.0.1",
                    "--secure-port=0",
                    "--controllers=*,bootstrapsigner,tokencleaner",
                    "--kubeconfig=" + kubeconfig,
                    "--leader-elect=true")),
            Clock.systemUTC());
    started.add(cm);
    return cm;
  }

  /** /readyz passes once etcd answers and the system namespaces and RBAC policy are written. */
  private void awaitReady(ApiServerStandIn server) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    HttpResponse<String> last = null;
    while (System.nanoTime() < deadline) {
      last = send(anonymous(), server, "GET", "/readyz?verbose", null, null);
      if (last.statusCode() == 200) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the API server did not become ready: " + last.body());
  }

  static URI base(ApiServerStandIn server) {
    return URI.create("https://127.0.0.1:" + server.port());
  }

  HttpClient admin() {
    return client(TlsMaterial.keyManager(pki.crt("admin"), pki.key("admin")));
  }

  HttpClient anonymous() {
    return client(new NoCertificateKeyManager());
  }

  private HttpClient client(X509KeyManager keys) {
    return HttpClient.newBuilder()
        .sslContext(TlsMaterial.context(keys, TlsMaterial.trustManager(pki.crt("ca"))))
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  /** One request; {@code body} JSON (or null), {@code bearer} a token (or null). */
  static HttpResponse<String> send(
      HttpClient client,
      ApiServerStandIn server,
      String method,
      String path,
      String body,
      String bearer)
      throws Exception {
    return send(client, server, method, path, "application/json", body, bearer);
  }

  static HttpResponse<String> send(
      HttpClient client,
      ApiServerStandIn server,
      String method,
      String path,
      String contentType,
      String body,
      String bearer)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base(server).resolve(path)).timeout(Duration.ofSeconds(20));
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    if (body != null) {
      request
          .header("Content-Type", contentType)
          .method(method, HttpRequest.BodyPublishers.ofString(body));
    } else {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** An admin kubeconfig for {@code server}. */
  Path adminKubeconfig(ApiServerStandIn server) throws Exception {
    return pki.kubeconfig("admin-" + server.port(), base(server).toString(), "ca", "admin");
  }

  /** Runs kubectl; returns exit code and output (stdout and stderr). */
  Result kubectl(List<String> args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add("kubectl");
    command.add("--cache-dir=" + dir.resolve("kube-cache"));
    command.addAll(args);
    return run(command, Map.of());
  }

  /** kubectl as admin against {@code server}, which must succeed; returns its output. */
  String kubectl(ApiServerStandIn server, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("--kubeconfig=" + adminKubeconfig(server)));
    all.addAll(List.of(args));
    Result result = kubectl(all);
    assertThat(result.code()).as("kubectl %s: %s", List.of(args), result.out()).isZero();
    return result.out();
  }

  /** etcdctl over mTLS with the API server's etcd client certificate. */
  String etcdctl(String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                "etcdctl",
                "--endpoints=" + etcd.clientUrl,
                "--cacert=" + pki.crt("etcd-ca"),
                "--cert=" + pki.crt("etcd-client"),
                "--key=" + pki.key("etcd-client")));
    command.addAll(List.of(args));
    Result result = run(command, Map.of("ETCDCTL_API", "3"));
    assertThat(result.code()).as("etcdctl %s: %s", List.of(args), result.out()).isZero();
    return result.out();
  }

  /** Exit code and combined output of a command. */
  record Result(int code, String out) {}

  static Result run(List<String> command, Map<String, String> env) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
    return new Result(process.exitValue(), output);
  }

  /** Stops one stand-in started here (the others keep running). */
  void stop(StandIn standIn) {
    started.remove(standIn);
    standIn.close();
  }

  /** Stops the stand-ins, the last started first (controller-managers before API servers). */
  @Override
  public void close() {
    List<StandIn> reversed = new ArrayList<>(started);
    java.util.Collections.reverse(reversed);
    reversed.forEach(StandIn::close);
    started.clear();
    etcd.close();
  }
}
