package dev.kubeboot.cli.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeboot.pki.CertificateIssuer;
import dev.kubeboot.pki.KeyAlgorithm;
import dev.kubeboot.pki.KeyPairs;
import dev.kubeboot.pki.Pem;
import dev.kubeboot.runner.RunnerClient;
import dev.kubeboot.runner.RunnerSpec;
import dev.kubeboot.runner.Runners;
import dev.kubeboot.runner.StaticPodRunner;
import dev.kubeboot.runner.status.ContainerState;
import dev.kubeboot.runner.status.RunnerStatus;
import dev.kubeboot.runner.status.StatusJson;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What status reports from a node's files and its runner: two real runners (host processes) for two
 * directories, so the report of one never shows the other's pods.
 */
@Timeout(120)
class StatusCollectorTest {
  @TempDir static Path tmp;
  private static StaticPodRunner runnerX;
  private static StaticPodRunner runnerY;

  private static String sleeper(String name) {
    return """
        apiVersion: v1
        kind: Pod
        metadata: {name: %s, namespace: kube-system}
        spec:
          hostNetwork: true
          terminationGracePeriodSeconds: 2
          containers:
          - name: %s
            image: example.com/%s:1
            command: [sleep, "3600"]
        """
        .formatted(name, name, name);
  }

  /** A node directory with sleeper pods for etcd and the API server, and its runner. */
  private static StaticPodRunner node(String name) throws Exception {
    Path kube = tmp.resolve(name);
    Files.createDirectories(kube.resolve("manifests"));
    Files.createDirectories(kube.resolve("pki"));
    for (String c : List.of("etcd", "kube-apiserver")) {
      Files.writeString(kube.resolve("manifests/" + c + ".yaml"), sleeper(c));
    }
    Files.writeString(
        kube.resolve("manifests/kube-scheduler.yaml"), "kind: Pod\nspec: [not, a, map]\n");
    StaticPodRunner runner =
        Runners.start(
            RunnerSpec.builder(kube.resolve("manifests"), "n1", "127.0.0.1", kube.resolve("runner"))
                .statusPort(0)
                .runtime("process")
                .build());
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (runner.status().pods().stream()
            .flatMap(p -> p.containerStatuses().stream())
            .filter(c -> c.state() instanceof ContainerState.Running)
            .count()
        < 2) {
      assertThat(System.nanoTime()).as("pods running").isLessThan(deadline);
      Thread.sleep(50);
    }
    return runner;
  }

  @BeforeAll
  static void startRunners() throws Exception {
    runnerX = node("x");
    runnerY = node("y");
  }

  @AfterAll
  static void stopRunners() throws Exception {
    for (var r : new StaticPodRunner[] {runnerX, runnerY}) {
      if (r != null) {
        r.shutdown(true);
      }
    }
  }

  private static StatusReport collect(String node, int port) throws Exception {
    Path kube = tmp.resolve(node);
    return new StatusCollector(
            kube,
            kube.resolve("pki"),
            RunnerClient.of(port, kube.resolve("runner")),
            Clock.systemUTC())
        .collect();
  }

  private static ComponentReport component(StatusReport report, String name) {
    return report.components().stream()
        .filter(c -> c.component().equals(name))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void theNodesOwnRunnerIsShownWithItsPods() throws Exception {
    StatusReport report = collect("x", runnerX.statusAddress().getPort());

    assertThat(report.runnerRunning()).isTrue();
    assertThat(report.runnerProblem()).isEmpty();
    assertThat(report.runnerPid()).contains(ProcessHandle.current().pid());
    assertThat(report.runtime()).isEqualTo("process");
    assertThat(report.manifestPath()).isEqualTo(tmp.resolve("x/manifests").toString());
    ComponentReport etcd = component(report, "etcd");
    assertThat(etcd.pod()).contains("etcd-n1");
    assertThat(etcd.phase()).isEqualTo("Running");
    // A sleeper answers no health endpoint: running is not healthy.
    assertThat(etcd.healthy()).isFalse();
    assertThat(report.healthy()).isFalse();
    assertThat(component(report, "kube-controller-manager").phase()).isEqualTo("Absent");
    assertThat(component(report, "kube-scheduler").phase()).isEqualTo("Invalid");
    assertThat(report.manifestErrors())
        .anySatisfy(e -> assertThat(e).contains("kube-scheduler.yaml"));
  }

  @Test
  void anotherDirectorysRunnerOnThePortIsReportedAndItsPodsAreNotShown() throws Exception {
    StatusReport report = collect("x", runnerY.statusAddress().getPort());

    assertThat(report.runnerRunning()).isFalse();
    assertThat(report.runnerProblem())
        .hasValueSatisfying(
            p ->
                assertThat(p)
                    .contains("serves " + tmp.resolve("y/manifests"))
                    .contains("not " + tmp.resolve("x/manifests")));
    assertThat(report.healthy()).isFalse();
    assertThat(component(report, "etcd").phase()).startsWith("Unknown");
    var out = new StringWriter();
    StatusPrinter.table(report, new PrintWriter(out));
    assertThat(out.toString())
        .contains("Runner: NOT this node's runner: the runner answering on")
        .contains("Control plane: NOT healthy");
  }

  @Test
  void statusOfOneDirectoryWithAnotherDirectorysRunnerOnThePortSaysSoAndExits1() {
    var out = new StringWriter();
    var err = new StringWriter();

    int code =
        dev.kubeboot.cli.Main.run(
            new PrintWriter(out),
            new PrintWriter(err),
            "status",
            "--kubernetes-dir",
            tmp.resolve("x").toString(),
            "--status-port",
            String.valueOf(runnerY.statusAddress().getPort()));

    assertThat(code).as(err.toString()).isEqualTo(1);
    assertThat(out.toString())
        .contains("Runner: NOT this node's runner")
        .contains("serves " + tmp.resolve("y/manifests"))
        .doesNotContain("Running");
  }

  @Test
  void withNoRunnerTheLastStateFileGivesTheLastPid() throws Exception {
    Path kube = tmp.resolve("z");
    Files.createDirectories(kube.resolve("runner"));
    Files.writeString(
        kube.resolve("runner/status.json"),
        StatusJson.write(
            new RunnerStatus(
                4242,
                Instant.parse("2026-01-01T00:00:00Z"),
                "process",
                kube.resolve("manifests").toString(),
                "n1",
                "off",
                List.of(),
                List.of())));
    int free;
    try (var socket = new ServerSocket(0)) {
      free = socket.getLocalPort();
    }

    StatusReport report = collect("z", free);

    assertThat(report.runnerRunning()).isFalse();
    assertThat(report.runnerProblem()).isEmpty();
    assertThat(report.runnerPid()).contains(4242L);
    assertThat(report.components()).allSatisfy(c -> assertThat(c.phase()).isEqualTo("Absent"));
    var out = new StringWriter();
    StatusPrinter.table(report, new PrintWriter(out));
    assertThat(out.toString()).contains("Runner: not running (last pid 4242)");
  }

  @Test
  void aCertificateThatExpiresSoonIsWarnedAbout() throws Exception {
    Path kube = tmp.resolve("certs");
    Files.createDirectories(kube.resolve("pki"));
    var issuer = new CertificateIssuer(Instant.now(), new SecureRandom());
    var ca =
        issuer.selfSignedCa(
            "kubernetes", new KeyPairs().generate(KeyAlgorithm.ECDSA_P256), Duration.ofDays(10));
    Files.writeString(kube.resolve("pki/ca.crt"), Pem.encode(ca));
    int free;
    try (var socket = new ServerSocket(0)) {
      free = socket.getLocalPort();
    }

    StatusReport report = collect("certs", free);

    assertThat(report.certificateWarnings())
        .singleElement()
        .satisfies(
            w ->
                assertThat(w)
                    .startsWith(kube.resolve("pki/ca.crt") + " expires on")
                    .contains("run kubeboot certs renew"));
  }
}
