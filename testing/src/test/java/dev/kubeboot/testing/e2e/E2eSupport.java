package dev.kubeboot.testing.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kubeboot.runner.RunnerClient;
import dev.kubeboot.runner.RunnerPidFile;
import dev.kubeboot.runner.RunnerSpec;
import dev.kubeboot.runner.status.ContainerState;
import dev.kubeboot.runner.status.ContainerStatus;
import dev.kubeboot.runner.status.PodStatus;
import dev.kubeboot.runner.status.RunnerStatus;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What the end-to-end tests share: running kubeboot and other commands, reading the runner's
 * status, waiting, and taking a control plane down again. Every test class brings up its control
 * plane on the fixed ports, so the classes run one after another.
 */
final class E2eSupport {
  static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  static final List<Integer> CONTROL_PLANE_PORTS =
      List.of(RunnerSpec.DEFAULT_STATUS_PORT, 2379, 2380, 6443, 10257, 10259);

  private static final RunnerClient RUNNER =
      RunnerClient.of(RunnerSpec.DEFAULT_STATUS_PORT, Path.of(RunnerSpec.DEFAULT_STATE_DIR));

  private E2eSupport() {}

  record Result(int code, String out) {}

  interface Condition {
    boolean holds() throws Exception;
  }

  /** Skips the test without Debian's etcd, which the etcd static Pod runs on the host. */
  static void assumeEtcd() {
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/etcd")),
        "Debian's etcd (etcd-server) is not installed: scripts/test.sh installs it");
  }

  /** The launcher's and the stand-ins' jars, which the modules before this one build. */
  static void assertJarsBuilt() {
    assertThat(REPO.resolve("cli/target/kubeboot.jar"))
        .as("the kubeboot jar is built before this module")
        .exists();
    assertThat(REPO.resolve("testing/target/kubeboot-testing.jar")).exists();
  }

  /** An InitConfiguration + ClusterConfiguration for node {@code nodeName} on 127.0.0.1. */
  static String kubeadmConfig(String nodeName, Path etcdData) {
    return kubeadmConfig(nodeName, etcdData, "");
  }

  /** The same, for a given Kubernetes version (the image tags); blank for kubeboot's default. */
  static String kubeadmConfig(String nodeName, Path etcdData, String kubernetesVersion) {
    String config =
        """
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: InitConfiguration
        localAPIEndpoint:
          advertiseAddress: 127.0.0.1
        nodeRegistration:
          name: %s
        ---
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: ClusterConfiguration
        etcd:
          local:
            imageTag: 3.4.23-0
            dataDir: %s
        """
            .formatted(nodeName, etcdData);
    return kubernetesVersion.isBlank()
        ? config
        : config + "kubernetesVersion: " + kubernetesVersion + "\n";
  }

  static boolean portFree(int port) {
    try (var socket = new ServerSocket(port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Takes a control plane down: removing the manifests makes the runner stop the pods; then the
   * runner itself goes.
   */
  static void tearDown(Path manifests, Path state) throws Exception {
    if (Files.isDirectory(manifests)) {
      try (var files = Files.list(manifests)) {
        for (Path f : files.toList()) {
          Files.deleteIfExists(f);
        }
      }
      waitFor(
          "the runner to stop every pod",
          Duration.ofSeconds(60),
          () -> runner().map(r -> r.pods().isEmpty()).orElse(true));
    }
    Optional<RunnerPidFile> pid = RunnerPidFile.read(state);
    if (pid.isPresent()) {
      pid.get()
          .liveProcess()
          .ifPresent(
              p -> {
                p.destroy();
                p.onExit().orTimeout(20, TimeUnit.SECONDS).exceptionally(t -> null).join();
              });
    }
  }

  static boolean isRunning(PodStatus pod) {
    return pod.containerStatuses().stream()
        .allMatch(c -> c.state() instanceof ContainerState.Running);
  }

  static long pid(PodStatus pod) {
    ContainerStatus c = pod.containerStatuses().getFirst();
    assertThat(c.containerID()).startsWith("process://");
    return Long.parseLong(c.containerID().substring("process://".length()));
  }

  static PodStatus pod(String name) throws Exception {
    return runner()
        .orElseThrow(() -> new AssertionError("the runner does not answer"))
        .pods()
        .stream()
        .filter(p -> p.key().name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no pod " + name));
  }

  /** What the runner on the default status port answers (the e2e tests run one at a time). */
  static Optional<RunnerStatus> runner() throws InterruptedException {
    return RUNNER.status();
  }

  static void waitFor(String what, Duration timeout, Condition condition) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    Throwable last = null;
    while (System.nanoTime() < deadline) {
      try {
        if (condition.holds()) {
          return;
        }
      } catch (Exception | AssertionError e) {
        last = e;
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        "timed out after " + timeout.toSeconds() + "s waiting for " + what, last);
  }

  /** Runs {@code ./kubeboot} with the stand-ins first on PATH. */
  static Result kubeboot(Duration timeout, String... args) throws Exception {
    var command = new ArrayList<String>();
    command.add(REPO.resolve("kubeboot").toString());
    command.addAll(List.of(args));
    return run(
        timeout,
        Map.of("PATH", REPO.resolve("testing/bin") + ":" + System.getenv("PATH")),
        command.toArray(String[]::new));
  }

  static Result run(Duration timeout, Map<String, String> env, String... command) throws Exception {
    var builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    Process process = builder.start();
    var output = new java.io.ByteArrayOutputStream();
    Thread pump =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    process.getInputStream().transferTo(output);
                  } catch (IOException e) {
                    // the process went away
                  }
                });
    if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(
          "timed out: "
              + String.join(" ", command)
              + "\n"
              + output.toString(StandardCharsets.UTF_8));
    }
    pump.join();
    return new Result(process.exitValue(), output.toString(StandardCharsets.UTF_8));
  }
}
