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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509KeyManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The kube-apiserver stand-in against real etcd (mTLS) and the real kubectl. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApiServerStandInIT {
  @TempDir static Path dir;
  static TestPki pki;
  static EtcdProcess etcd;
  static ApiServerStandIn apiserver;
  static URI base;

  @BeforeAll
  static void start() throws Exception {
    pki = new TestPki(dir);
    CertificateAuthority ca = pki.ca("ca");
    CertificateAuthority etcdCa = pki.ca("etcd-ca");
    // Mixed on purpose: EC serving key (SEC1 PEM), RSA client key (PKCS#1 PEM).
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
        KeyAlgorithm.RSA_2048,
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
    etcd = EtcdProcess.start(pki, dir.resolve("etcd-data"), dir.resolve("etcd.log"));
    Flags flags =
        Flags.parse(
            List.of(
                "--advertise-address=127.0.0.1",
                "--allow-privileged=true",
                "--authorization-mode=Node,RBAC",
                "--bind-address=127.0.0.1",
                "--secure-port=0",
                "--client-ca-file=" + pki.crt("ca"),
                "--etcd-cafile=" + pki.crt("etcd-ca"),
                "--etcd-certfile=" + pki.crt("etcd-client"),
                "--etcd-keyfile=" + pki.key("etcd-client"),
                "--etcd-servers=" + etcd.clientUrl,
                "--service-cluster-ip-range=10.96.0.0/12",
                "--tls-cert-file=" + pki.crt("apiserver"),
                "--tls-private-key-file=" + pki.key("apiserver")));
    apiserver = ApiServerStandIn.start(flags, Clock.systemUTC(), "v1.34.2-standin");
    base = URI.create("https://127.0.0.1:" + apiserver.port());
  }

  @AfterAll
  static void stop() {
    if (apiserver != null) {
      apiserver.close();
    }
    if (etcd != null) {
      etcd.close();
    }
  }

  static HttpClient client(boolean withClientCert) {
    X509KeyManager keys =
        withClientCert
            ? TlsMaterial.keyManager(pki.crt("admin"), pki.key("admin"))
            : new NoCertificateKeyManager();
    SSLContext tls = TlsMaterial.context(keys, TlsMaterial.trustManager(pki.crt("ca")));
    return HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
  }

  static HttpResponse<String> get(HttpClient client, String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(base.resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpClient anonymous() {
    return client(false);
  }

  @ParameterizedTest(name = "{0} answers ok to an anonymous probe while etcd is up")
  @ValueSource(strings = {"/livez", "/readyz", "/healthz", "/livez/etcd"})
  @Order(1)
  void healthWithEtcdUp(String path) throws Exception {
    HttpResponse<String> response = get(anonymous(), path);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("ok");
  }

  @Test
  @Order(1)
  void verboseReadyzListsTheChecksLikeKubeApiserver() throws Exception {
    HttpResponse<String> response = get(anonymous(), "/readyz?verbose");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body())
        .contains("[+]ping ok\n", "[+]etcd ok\n", "[+]etcd-readiness ok\n")
        .endsWith("readyz check passed\n");
  }

  @Test
  @Order(1)
  void versionIsOpenToAnonymousCallers() throws Exception {
    HttpResponse<String> response = get(anonymous(), "/version");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("\"gitVersion\":\"v1.34.2-standin\"", "\"minor\":\"34\"");
  }

  @ParameterizedTest(name = "without a client certificate {0} is forbidden: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "/api|forbidden: User \"system:anonymous\" cannot get path \"/api\"",
        "/apis|forbidden: User \"system:anonymous\" cannot get path \"/apis\"",
        "/api/v1/namespaces/kube-system/pods|pods is forbidden: User \"system:anonymous\" cannot"
            + " list resource \"pods\" in API group \"\" in the namespace \"kube-system\""
      })
  @Order(1)
  void anonymousIsForbiddenOutsideHealth(String path, String message) throws Exception {
    HttpResponse<String> response = get(anonymous(), path);
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(response.body())
        .contains("\"kind\":\"Status\"", "\"reason\":\"Forbidden\"")
        .contains("\"message\":" + StatusJson.quote(message));
  }

  @Test
  @Order(1)
  void aClientCertificateSignedByTheClientCaIsAccepted() throws Exception {
    HttpResponse<String> response = get(client(true), "/api/v1/namespaces/kube-system/pods");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(response.body()).contains("\"items\"");
  }

  @Test
  @Order(2)
  void kubectlCreatesListsWatchesAndDeletesAPod() throws Exception {
    Path kubeconfig = pki.kubeconfig("admin", base.toString(), "ca", "admin");
    Path pod = dir.resolve("pod.yaml");
    Files.writeString(
        pod,
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web, namespace: kube-system}
        spec:
          containers: [{name: c, image: registry.k8s.io/pause:3.10}]
        """);
    assertThat(kubectl(kubeconfig, "get", "pods", "-n", "kube-system"))
        .contains("No resources found");
    assertThat(kubectl(kubeconfig, "create", "-f", pod.toString())).contains("pod/web created");
    Process watch =
        new ProcessBuilder(
                kubectlCommand(
                    kubeconfig,
                    "get",
                    "pods",
                    "-n",
                    "kube-system",
                    "--watch-only",
                    "--request-timeout=20s"))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("watch.out").toFile())
            .start();
    String table = kubectl(kubeconfig, "get", "pods", "-n", "kube-system");
    assertThat(table.lines().findFirst().orElseThrow().split("\\s+"))
        .containsExactly("NAME", "READY", "STATUS", "RESTARTS", "AGE");
    assertThat(table).containsPattern("web\\s+0/1\\s+Pending\\s+0\\s+\\d+s");
    Thread.sleep(1500);
    assertThat(kubectl(kubeconfig, "label", "pod", "web", "-n", "kube-system", "tier=x"))
        .contains("labeled");
    assertThat(kubectl(kubeconfig, "delete", "pod", "web", "-n", "kube-system"))
        .contains("pod \"web\" deleted");
    assertThat(kubectl(kubeconfig, "get", "pods", "-n", "kube-system"))
        .contains("No resources found");
    watch.waitFor(2, TimeUnit.SECONDS);
    watch.destroy();
    watch.waitFor(5, TimeUnit.SECONDS);
    String watched = Files.readString(dir.resolve("watch.out"), StandardCharsets.UTF_8);
    assertThat(watched).as("an HTTP-streaming watch saw the label change").contains("web");
    assertThat(kubectl(kubeconfig, "get", "nodes")).contains("No resources found");
  }

  @Test
  @Order(3)
  void healthFailsNamingEtcdWhenEtcdIsKilled() throws Exception {
    etcd.close();
    Thread.sleep(1200);
    HttpResponse<String> response = get(anonymous(), "/livez");
    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.body()).contains("[-]etcd failed: ").endsWith("livez check failed\n");
    assertThat(get(anonymous(), "/readyz").statusCode()).isEqualTo(500);
    assertThat(get(anonymous(), "/livez?exclude=etcd").statusCode()).isEqualTo(200);
  }

  static List<String> kubectlCommand(Path kubeconfig, String... args) {
    List<String> command =
        new ArrayList<>(
            List.of(
                "kubectl",
                "--kubeconfig=" + kubeconfig,
                "--cache-dir=" + dir.resolve("kube-cache")));
    command.addAll(List.of(args));
    return command;
  }

  static String kubectl(Path kubeconfig, String... args) throws Exception {
    Process process =
        new ProcessBuilder(kubectlCommand(kubeconfig, args)).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("kubectl %s: %s", List.of(args), output).isZero();
    return output;
  }
}
