package dev.kubeboot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeboot.runner.RunnerClient;
import dev.kubeboot.runner.RunnerSpec;
import dev.kubeboot.runner.Runners;
import dev.kubeboot.runner.StaticPodRunner;
import dev.kubeboot.runner.pod.PodKey;
import dev.kubeboot.runner.status.ContainerState;
import dev.kubeboot.runner.status.ContainerStatus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * `kubeboot logs` against a real runner (host processes) found through --kubernetes-dir: the
 * runner's runtime reads the logs, of the current or the previous instance of a container.
 */
@Timeout(120)
class LogsCommandTest {
  private static final PodKey COUNTER = new PodKey("kube-system", "counter-n1");

  @TempDir static Path tmp;
  private static Path kube;
  private static StaticPodRunner runner;

  record Run(int code, String out, String err) {}

  private static String pod(String name, String containers) {
    return """
        apiVersion: v1
        kind: Pod
        metadata: {name: %s, namespace: kube-system}
        spec:
          hostNetwork: true
          terminationGracePeriodSeconds: 2
          containers:
        %s
        """
        .formatted(name, containers.indent(2));
  }

  private static String container(String name, String script) {
    return """
        - name: %s
          image: example.com/%s:1
          command: [sh, -c, '%s']
        """
        .formatted(name, name, script);
  }

  @BeforeAll
  static void startRunner() throws Exception {
    kube = tmp.resolve("kubernetes");
    Path manifests = kube.resolve("manifests");
    Files.createDirectories(manifests);
    Path count = tmp.resolve("count");
    // Each start prints which start it is, so the previous instance's log is told apart.
    Files.writeString(
        manifests.resolve("counter.yaml"),
        pod(
            "counter",
            container(
                "counter",
                "n=$(($(cat %s 2>/dev/null || echo 0) + 1)); echo $n > %s; echo start $n; exec sleep 3600"
                    .formatted(count, count))));
    Files.writeString(
        manifests.resolve("pair.yaml"),
        pod(
            "pair",
            container("left", "echo from left; exec sleep 3600")
                + container("right", "echo from right; exec sleep 3600")));
    runner =
        Runners.start(
            RunnerSpec.builder(manifests, "n1", "127.0.0.1", kube.resolve("runner"))
                .statusPort(0)
                .runtime("process")
                .build());
    awaitContainers(c -> c.state() instanceof ContainerState.Running, 3);
  }

  @AfterAll
  static void stopRunner() throws Exception {
    if (runner != null) {
      runner.shutdown(true);
    }
  }

  private static void awaitContainers(Predicate<ContainerStatus> condition, int count)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (runner.status().pods().stream()
            .flatMap(p -> p.containerStatuses().stream())
            .filter(condition)
            .count()
        < count) {
      assertThat(System.nanoTime()).as("%s", runner.status()).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private static Run logs(String... args) {
    var all = new ArrayList<>(List.of("logs"));
    all.addAll(List.of(args));
    all.addAll(
        List.of(
            "--kubernetes-dir",
            kube.toString(),
            "--status-port",
            String.valueOf(runner.statusAddress().getPort())));
    var out = new StringWriter();
    var err = new StringWriter();
    int code = Main.run(new PrintWriter(out), new PrintWriter(err), all.toArray(String[]::new));
    return new Run(code, out.toString(), err.toString());
  }

  private static Run eventuallyLogs(String expected, String... args) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    Run run = logs(args);
    while (!run.out().equals(expected) && System.nanoTime() < deadline) {
      Thread.sleep(50);
      run = logs(args);
    }
    return run;
  }

  @Test
  void thePodsManifestNameIsEnoughAndTheOnlyContainerIsChosen() throws Exception {
    Run run = eventuallyLogs("from left\n", "pair", "-c", "left");

    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo("from left\n");
    assertThat(eventuallyLogs("start 1\n", "counter-n1", "-n", "kube-system").code()).isZero();
  }

  @Test
  void aPodOfSeveralContainersNeedsOneChosen() {
    Run run = logs("pair");

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).contains("pod kube-system/pair-n1 has 2 containers: choose one with -c");
  }

  @Test
  void anUnknownPodListsThePodsTheRunnerHas() {
    Run run = logs("nothing");

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err())
        .contains("no pod nothing; the runner has: kube-system/counter-n1, kube-system/pair-n1");
  }

  @Test
  void thePreviousInstanceIsShownAfterARestartAndIsMissingBefore() throws Exception {
    Run none = logs("pair", "-c", "right", "-p");
    assertThat(none.code()).isEqualTo(1);
    assertThat(none.err())
        .contains("no log of previous container right of pod kube-system/pair-n1");

    int before =
        runner
            .status()
            .pod(COUNTER)
            .orElseThrow()
            .container("counter")
            .orElseThrow()
            .restartCount();
    assertThat(
            RunnerClient.of(runner.statusAddress().getPort(), kube.resolve("runner"))
                .restart(COUNTER))
        .isTrue();
    awaitContainers(
        c ->
            c.name().equals("counter")
                && c.restartCount() == before + 1
                && c.state() instanceof ContainerState.Running,
        1);

    Run previous = eventuallyLogs("start " + (before + 1) + "\n", "counter", "-p");
    Run current = eventuallyLogs("start " + (before + 2) + "\n", "counter");

    assertThat(previous.out()).as(previous.err()).isEqualTo("start " + (before + 1) + "\n");
    assertThat(current.out()).as(current.err()).isEqualTo("start " + (before + 2) + "\n");
  }

  @Test
  void aStateDirectoryThatIsNotTheAnsweringRunnersIsRefused() throws Exception {
    Path other = tmp.resolve("other");
    Files.createDirectories(other.resolve("runner"));
    var out = new StringWriter();
    var err = new StringWriter();

    int code =
        Main.run(
            new PrintWriter(out),
            new PrintWriter(err),
            "logs",
            "counter",
            "--kubernetes-dir",
            other.toString(),
            "--status-port",
            String.valueOf(runner.statusAddress().getPort()));

    assertThat(code).isEqualTo(1);
    assertThat(err.toString())
        .contains("no runner.pid")
        .contains(other.resolve("runner").toString());
  }
}
