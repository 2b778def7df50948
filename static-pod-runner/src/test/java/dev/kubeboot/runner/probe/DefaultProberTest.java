package dev.kubeboot.runner.probe;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.kubeboot.runner.pod.Container;
import dev.kubeboot.runner.pod.ContainerPort;
import dev.kubeboot.runner.pod.EnvVar;
import dev.kubeboot.runner.pod.IpField;
import dev.kubeboot.runner.pod.PodKey;
import dev.kubeboot.runner.pod.PortRef;
import dev.kubeboot.runner.pod.ProbeAction;
import dev.kubeboot.runner.pod.StaticPod;
import dev.kubeboot.runner.runtime.ContainerHandle;
import dev.kubeboot.runner.runtime.ContainerRuntime;
import dev.kubeboot.runner.runtime.ExecResult;
import dev.kubeboot.runner.runtime.ExitStatus;
import dev.kubeboot.runner.runtime.process.ProcessPods;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DefaultProberTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private static final ContainerHandle HANDLE =
      new ContainerHandle("1", new PodKey("kube-system", "p"), "uid", "c", 0, Instant.EPOCH, "h");
  private static final AtomicReference<Headers> lastHeaders = new AtomicReference<>();
  private static HttpServer http;
  private static HttpsServer https;
  private static int port;
  private static FakeExecRuntime execRuntime;
  private static DefaultProber prober;

  @BeforeAll
  static void startServers(@TempDir Path tmp) throws Exception {
    http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    port = http.getAddress().getPort();
    http.createContext(
        "/status/",
        ex -> {
          int code = Integer.parseInt(ex.getRequestURI().getPath().substring("/status/".length()));
          respond(ex, code, "status " + code);
        });
    http.createContext(
        "/headers",
        ex -> {
          lastHeaders.set(ex.getRequestHeaders());
          respond(ex, 200, "ok");
        });
    http.createContext("/redirect/same", ex -> redirect(ex, "/status/200?from=redirect", ""));
    http.createContext(
        "/redirect/same-to-500",
        ex -> redirect(ex, "http://127.0.0.1:" + port + "/status/500", ""));
    http.createContext(
        "/redirect/other", ex -> redirect(ex, "http://localhost:" + port + "/status/500", "moved"));
    http.createContext(
        "/redirect/other-big",
        ex -> redirect(ex, "http://localhost:" + port + "/status/500", "y".repeat(1 << 20)));
    http.createContext("/redirect/loop", ex -> redirect(ex, "/redirect/loop", ""));
    http.createContext(
        "/slow",
        ex -> {
          try {
            Thread.sleep(30_000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          respond(ex, 200, "late");
        });
    http.createContext("/big", ex -> respond(ex, 200, "x".repeat(5 << 20)));
    http.start();

    https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    https.setHttpsConfigurator(new HttpsConfigurator(selfSignedFor("not-this-host.example", tmp)));
    https.createContext("/livez", ex -> respond(ex, 200, "ok"));
    https.start();

    execRuntime = new FakeExecRuntime();
    prober = new DefaultProber(execRuntime, "127.0.0.1", "v1.34.2");
  }

  @AfterAll
  static void stopServers() {
    prober.close();
    http.stop(0);
    https.stop(0);
  }

  /** A key pair and self-signed certificate made by the JDK's keytool, for another host name. */
  private static SSLContext selfSignedFor(String hostName, Path dir) throws Exception {
    Path keystore = dir.resolve("server.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "server",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=" + hostName,
                "-ext",
                "SAN=dns:" + hostName,
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                keystore.toString(),
                "-storepass",
                "changeit",
                "-keypass",
                "changeit")
            .redirectErrorStream(true)
            .start();
    String out = new String(keytool.getInputStream().readAllBytes());
    assertThat(keytool.waitFor()).as(out).isZero();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = java.nio.file.Files.newInputStream(keystore)) {
      ks.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "changeit".toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), null, null);
    return context;
  }

  private static void respond(HttpExchange ex, int code, String body) throws IOException {
    byte[] bytes = body.getBytes();
    ex.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    } catch (IOException clientWentAway) {
      // The prober stops reading after 10 KiB.
    }
    ex.close();
  }

  private static void redirect(HttpExchange ex, String location, String body) throws IOException {
    ex.getResponseHeaders().add("Location", location);
    respond(ex, 302, body);
  }

  private static Container spec(List<ContainerPort> ports) {
    return ProcessPods.container(
        "c",
        "registry.k8s.io/c:v1",
        List.of("true"),
        List.of(new EnvVar("TARGET", "/healthz")),
        List.of(),
        ports);
  }

  private static ProbeResult get(String path) throws InterruptedException {
    return get(Optional.of("127.0.0.1"), path, List.of(), TIMEOUT);
  }

  private static ProbeResult get(
      Optional<String> host, String path, List<ProbeAction.HttpHeader> headers, Duration timeout)
      throws InterruptedException {
    return prober.probe(
        new ProbeAction.HttpGet("HTTP", host, new PortRef.Number(port), path, headers),
        HANDLE,
        spec(List.of()),
        timeout);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "200 succeeds                               | /status/200          | true  | statuscode:"
            + " 200",
        "302 without Location succeeds              | /status/302          | true  | statuscode:"
            + " 302",
        "399 succeeds                               | /status/399          | true  | statuscode:"
            + " 399",
        "400 fails                                  | /status/400          | false | statuscode:"
            + " 400",
        "500 fails                                  | /status/500          | false | statuscode:"
            + " 500",
        "a same-host redirect is followed           | /redirect/same       | true  | statuscode:"
            + " 200",
        "a followed redirect can end in failure     | /redirect/same-to-500 | false | statuscode:"
            + " 500",
        "another host's redirect succeeds with a warning | /redirect/other | true  | another host",
        "ten redirects are the limit                | /redirect/loop       | false | stopped after"
            + " 10 redirects",
        "a large body does not matter               | /big                 | true  | statuscode:"
            + " 200",
      })
  void httpGetAsTheKubelet(String name, String path, boolean success, String message)
      throws Exception {
    ProbeResult result = get(path);
    assertThat(result.success()).as(result.message()).isEqualTo(success);
    assertThat(result.message()).contains(message);
  }

  @Test
  void atMostTenKibOfABodyIsRead() throws Exception {
    ProbeResult result = get("/redirect/other-big");
    assertThat(result.success()).isTrue();
    assertThat(result.message()).contains("y".repeat(DefaultProber.BODY_LIMIT));
    assertThat(result.message()).doesNotContain("y".repeat(DefaultProber.BODY_LIMIT + 1));
  }

  @Test
  void aSlowServerFailsAtTheTimeout() throws Exception {
    long t0 = System.nanoTime();
    ProbeResult result = get(Optional.of("127.0.0.1"), "/slow", List.of(), Duration.ofMillis(300));
    assertThat(result.success()).isFalse();
    assertThat(result.message()).contains("timeout");
    // Well before the server's 30 s answer: the probe gave up at its timeout.
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));
  }

  @Test
  void sendsTheKubeletUserAgentAndCustomHeaders() throws Exception {
    assertThat(
            get(
                    Optional.of("127.0.0.1"),
                    "/headers",
                    List.of(new ProbeAction.HttpHeader("X-Probe", "yes")),
                    TIMEOUT)
                .success())
        .isTrue();
    assertThat(lastHeaders.get().getFirst("User-Agent")).isEqualTo("kube-probe/1.34");
    assertThat(lastHeaders.get().getFirst("Accept")).isEqualTo("*/*");
    assertThat(lastHeaders.get().getFirst("X-Probe")).isEqualTo("yes");

    get(
        Optional.of("127.0.0.1"),
        "/headers",
        List.of(new ProbeAction.HttpHeader("User-Agent", "mine")),
        TIMEOUT);
    assertThat(lastHeaders.get().get("User-Agent")).containsExactly("mine");
  }

  @Test
  void anEmptyHostIsTheNodeIp() throws Exception {
    assertThat(get(Optional.of(""), "/status/200", List.of(), TIMEOUT).success()).isTrue();
    assertThat(get(Optional.empty(), "/status/200", List.of(), TIMEOUT).success()).isTrue();
  }

  @Test
  void anEmptyHostIsThePodIpWhenThePodHasItsOwnNetwork() throws Exception {
    // 127.0.0.2 is loopback too, but nothing listens there: only the pod IP answers.
    FakeExecRuntime runtime = new FakeExecRuntime();
    try (var prober = new DefaultProber(runtime, "127.0.0.2", "1.34")) {
      var probe =
          new ProbeAction.HttpGet(
              "HTTP", Optional.empty(), new PortRef.Number(port), "/status/200", List.of());
      assertThat(prober.probe(probe, HANDLE, spec(List.of()), TIMEOUT).message())
          .contains("127.0.0.2");

      runtime.podIPs = List.of("127.0.0.1");

      assertThat(prober.probe(probe, HANDLE, spec(List.of()), TIMEOUT).success()).isTrue();
      var tcp = new ProbeAction.TcpSocket(Optional.empty(), new PortRef.Number(port));
      assertThat(prober.probe(tcp, HANDLE, spec(List.of()), TIMEOUT).success()).isTrue();
    }
  }

  @Test
  void aNamedPortResolvesAgainstTheContainer() throws Exception {
    Container withPort = spec(List.of(new ContainerPort("probe-port", port, "TCP", port)));
    ProbeAction.HttpGet named =
        new ProbeAction.HttpGet(
            "HTTP",
            Optional.of("127.0.0.1"),
            new PortRef.Named("probe-port"),
            "/status/200",
            List.of());
    assertThat(prober.probe(named, HANDLE, withPort, TIMEOUT).success()).isTrue();

    ProbeResult missing = prober.probe(named, HANDLE, spec(List.of()), TIMEOUT);
    assertThat(missing.success()).isFalse();
    assertThat(missing.message()).contains("\"probe-port\"").contains("container \"c\"");
  }

  @Test
  void httpsTrustsAnyCertificateForAnyHostName() throws Exception {
    ProbeAction.HttpGet livez =
        new ProbeAction.HttpGet(
            "HTTPS",
            Optional.of("127.0.0.1"),
            new PortRef.Number(https.getAddress().getPort()),
            "/livez",
            List.of());
    ProbeResult result = prober.probe(livez, HANDLE, spec(List.of()), TIMEOUT);
    assertThat(result.success()).as(result.message()).isTrue();
    // A second probe opens its own connection and works the same.
    assertThat(prober.probe(livez, HANDLE, spec(List.of()), TIMEOUT).success()).isTrue();
  }

  @Test
  void theHttpsServerIsNotTrustedByADefaultClient() throws Exception {
    // The control for the test above: with verification on, this certificate fails.
    try (java.net.http.HttpClient strict = java.net.http.HttpClient.newHttpClient()) {
      var request =
          java.net.http.HttpRequest.newBuilder(
                  java.net.URI.create(
                      "https://127.0.0.1:" + https.getAddress().getPort() + "/livez"))
              .build();
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> strict.send(request, java.net.http.HttpResponse.BodyHandlers.discarding()))
          .isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
    }
  }

  @Test
  void execProbesRunInARealHostProcessContainer(@TempDir Path state) throws Exception {
    try (var runtime =
            new dev.kubeboot.runner.runtime.process.HostProcessRuntime(
                new dev.kubeboot.runner.runtime.process.HostProcessOptions(
                    state, List.of(), java.time.Clock.systemUTC()));
        var real = new DefaultProber(runtime, "127.0.0.1", "1.34")) {
      Container c =
          ProcessPods.container(
              "c",
              "registry.k8s.io/c:v1",
              List.of("sleep", "100"),
              List.of(new EnvVar("EXPECTED", "yes")),
              List.of(),
              List.of());
      ContainerHandle h = runtime.start(ProcessPods.pod("c", c), c, 0);
      try {
        ProbeResult ok =
            real.probe(
                new ProbeAction.Exec(List.of("sh", "-c", "test \"$EXPECTED\" = $(EXPECTED)")),
                h,
                c,
                TIMEOUT);
        assertThat(ok.success()).as(ok.message()).isTrue();
        ProbeResult bad =
            real.probe(
                new ProbeAction.Exec(List.of("sh", "-c", "echo nope; exit 3")), h, c, TIMEOUT);
        assertThat(bad.success()).isFalse();
        assertThat(bad.message()).contains("exited with code 3: nope");
      } finally {
        runtime.stop(h, Duration.ofSeconds(1));
      }
    }
  }

  @Test
  void aRefusedConnectionFails() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    ProbeResult result =
        prober.probe(
            new ProbeAction.HttpGet(
                "HTTP", Optional.of("127.0.0.1"), new PortRef.Number(closed), "/", List.of()),
            HANDLE,
            spec(List.of()),
            TIMEOUT);
    assertThat(result.success()).isFalse();
    assertThat(result.message()).contains("connection refused");
  }

  @Test
  void tcpSocketConnectsWithinTheTimeout() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress())) {
      int open = server.getLocalPort();
      ProbeResult ok =
          prober.probe(
              new ProbeAction.TcpSocket(Optional.empty(), new PortRef.Number(open)),
              HANDLE,
              spec(List.of()),
              TIMEOUT);
      assertThat(ok.success()).as(ok.message()).isTrue();
      server.close();
      ProbeResult refused =
          prober.probe(
              new ProbeAction.TcpSocket(Optional.of("127.0.0.1"), new PortRef.Number(open)),
              HANDLE,
              spec(List.of()),
              TIMEOUT);
      assertThat(refused.success()).isFalse();
      assertThat(refused.message()).contains("127.0.0.1:" + open);
    }
  }

  @Test
  void execRunsThroughTheRuntimeWithExpandedVariables() throws Exception {
    execRuntime.next = new ExecResult(0, "fine\n", false);
    ProbeResult ok =
        prober.probe(
            new ProbeAction.Exec(List.of("check", "$(TARGET)")), HANDLE, spec(List.of()), TIMEOUT);
    assertThat(ok.success()).isTrue();
    assertThat(execRuntime.lastCommand).containsExactly("check", "/healthz");
    assertThat(execRuntime.lastTimeout).isEqualTo(TIMEOUT);

    execRuntime.next = new ExecResult(1, "bad", false);
    ProbeResult failed =
        prober.probe(new ProbeAction.Exec(List.of("check")), HANDLE, spec(List.of()), TIMEOUT);
    assertThat(failed.success()).isFalse();
    assertThat(failed.message()).contains("exited with code 1: bad");

    execRuntime.next = new ExecResult(137, "", true);
    ProbeResult slow =
        prober.probe(new ProbeAction.Exec(List.of("check")), HANDLE, spec(List.of()), TIMEOUT);
    assertThat(slow.success()).isFalse();
    assertThat(slow.message()).contains("timed out");
  }

  @Test
  void execSeesThePodsIpAsTheContainersEnvironmentHasIt() throws Exception {
    execRuntime.next = new ExecResult(0, "", false);
    execRuntime.podIPs = List.of("10.85.0.12");
    Container withPodIp =
        ProcessPods.container(
            "c",
            "registry.k8s.io/c:v1",
            List.of("true"),
            List.of(EnvVar.podIPs("POD_IP", IpField.PRIMARY)),
            List.of(),
            List.of());
    try {
      prober.probe(
          new ProbeAction.Exec(List.of("check", "$(POD_IP):2379")), HANDLE, withPodIp, TIMEOUT);
    } finally {
      execRuntime.podIPs = List.of();
    }
    assertThat(execRuntime.lastCommand).containsExactly("check", "10.85.0.12:2379");
  }

  @Test
  void grpcProbesFailWithAClearMessage() throws Exception {
    ProbeResult result =
        prober.probe(
            new ProbeAction.Grpc(2379, Optional.empty()), HANDLE, spec(List.of()), TIMEOUT);
    assertThat(result.success()).isFalse();
    assertThat(result.message()).contains("grpc probes are not supported");
  }

  /** Answers exec with a scripted result; nothing else is used by the prober. */
  private static final class FakeExecRuntime implements ContainerRuntime {
    volatile ExecResult next = new ExecResult(0, "", false);
    volatile List<String> lastCommand;
    volatile Duration lastTimeout;
    volatile List<String> podIPs = List.of();

    @Override
    public List<String> podIPs(String podUid) {
      return podIPs;
    }

    @Override
    public ExecResult exec(ContainerHandle container, List<String> command, Duration timeout) {
      lastCommand = command;
      lastTimeout = timeout;
      return next;
    }

    @Override
    public String name() {
      return "fake";
    }

    @Override
    public ContainerHandle start(StaticPod pod, Container container, int attempt) {
      throw new UnsupportedOperationException("the prober never starts containers");
    }

    @Override
    public CompletionStage<ExitStatus> onExit(ContainerHandle container) {
      return new CompletableFuture<>();
    }

    @Override
    public void stop(ContainerHandle container, Duration gracePeriod) {}

    @Override
    public List<ContainerHandle> listOwned() {
      return List.of();
    }

    @Override
    public void removePod(PodKey pod, String podUid) {}

    @Override
    public void copyLog(dev.kubeboot.runner.runtime.LogQuery query, java.io.OutputStream out) {
      throw new UnsupportedOperationException("the prober never reads logs");
    }

    @Override
    public void close() {}
  }
}
