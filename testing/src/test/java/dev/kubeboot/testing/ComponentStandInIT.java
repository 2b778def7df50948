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
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** controller-manager and scheduler stand-ins: health without an API server, and SIGTERM. */
class ComponentStandInIT {
  @TempDir static Path dir;
  static Path kubeconfig;

  @BeforeAll
  static void pki() throws Exception {
    TestPki pki = new TestPki(dir);
    CertificateAuthority ca = pki.ca("ca");
    pki.leaf(
        "scheduler",
        ca,
        "system:kube-scheduler",
        List.of(),
        KeyAlgorithm.RSA_2048,
        ExtendedKeyUsage.CLIENT_AUTH);
    kubeconfig =
        pki.kubeconfig(
            "scheduler", "https://127.0.0.1:" + EtcdProcess.freePort(), "ca", "scheduler");
  }

  /** Like kubeadm's wait-control-plane: the self-signed serving cert is not verified. */
  static HttpClient insecure() throws Exception {
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, new TrustManager[] {new TrustEverything()}, null);
    return HttpClient.newBuilder().sslContext(tls).build();
  }

  @ParameterizedTest(name = "{0} answers /healthz /livez /readyz with no API server running")
  @EnumSource(ComponentStandIn.Component.class)
  void healthIsIndependentOfTheApiServer(ComponentStandIn.Component component) throws Exception {
    Flags flags =
        Flags.parse(
            List.of(
                "--bind-address=127.0.0.1",
                "--secure-port=0",
                "--kubeconfig=" + kubeconfig,
                "--leader-elect=true"));
    try (ComponentStandIn standIn = ComponentStandIn.start(component, flags, Clock.systemUTC())) {
      for (String path : List.of("/healthz", "/livez", "/readyz")) {
        HttpResponse<String> response =
            insecure()
                .send(
                    HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + standIn.port() + path))
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        assertThat(response.body()).isEqualTo("ok");
      }
    }
  }

  @Test
  void aMissingKubeconfigIsAClearStartFailure() {
    Flags flags = Flags.parse(List.of("--kubeconfig=" + dir.resolve("absent.conf")));
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                ComponentStandIn.start(
                    ComponentStandIn.Component.SCHEDULER, flags, Clock.systemUTC()))
        .isInstanceOf(StandInConfigException.class)
        .hasMessageContaining("--kubeconfig=" + dir.resolve("absent.conf"))
        .hasMessageContaining("no readable file");
  }

  @Test
  void theLauncherScriptRunsTheJarAndExitsZeroOnSigterm() throws Exception {
    Path script = Path.of("bin/kube-scheduler").toAbsolutePath();
    assertThat(Path.of("target/kubeboot-testing.jar")).as("failsafe runs after package").exists();
    int port = EtcdProcess.freePort();
    Process process =
        new ProcessBuilder(
                script.toString(),
                "--bind-address=127.0.0.1",
                "--secure-port=" + port,
                "--kubeconfig=" + kubeconfig,
                "--authentication-kubeconfig=" + kubeconfig)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("scheduler.log").toFile())
            .start();
    try {
      Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
      int status = 0;
      while (status != 200 && Instant.now().isBefore(deadline) && process.isAlive()) {
        try {
          status =
              insecure()
                  .send(
                      HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/healthz"))
                          .build(),
                      HttpResponse.BodyHandlers.discarding())
                  .statusCode();
        } catch (java.io.IOException e) {
          Thread.sleep(100);
        }
      }
      assertThat(status).as(Files.readString(dir.resolve("scheduler.log"))).isEqualTo(200);
      process.destroy();
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).isZero();
      assertThat(Files.readString(dir.resolve("scheduler.log"), StandardCharsets.UTF_8))
          .contains("kube-scheduler stand-in (test double) serving health")
          .contains("kube-scheduler stand-in (test double) stopped");
    } finally {
      process.destroyForcibly();
    }
  }

  private static final class TrustEverything implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
