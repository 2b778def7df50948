package dev.kubeboot.runner.runtime.cri;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kubeboot.runner.runtime.cri.v1.Cri;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The private containerd the CRI tests run against (scripts/containerd-test-env.sh), seen through
 * {@code ctr} and a raw CRI client: the test's own view, independent of the runtime under test.
 */
final class CriEngine {
  static final String ENDPOINT =
      Objects.requireNonNullElse(
          System.getenv("KUBEBOOT_TEST_CRI_ENDPOINT"),
          "unix:///run/kubeboot-test-containerd/containerd.sock");

  /** The cgroup root the tests' runtimes use (the default). */
  static final PodCgroups CGROUPS =
      new PodCgroups(Path.of("/sys/fs/cgroup"), CriRuntimeOptions.DEFAULT_CGROUP_ROOT);

  static final String SCRIPT = "scripts/containerd-test-env.sh";

  private CriEngine() {}

  /**
   * Skips the calling test class when no containerd can be had: the script is run (it is idempotent
   * and bounded) when the socket does not answer; a failure to start it skips with its output.
   */
  static void requireContainerd() {
    if (CriContainerRuntime.available(ENDPOINT)) {
      return;
    }
    Path script = findScript();
    String output = "";
    if (script != null) {
      try {
        output = run(Duration.ofMinutes(5), "bash", script.toString());
      } catch (IOException e) {
        output = e.getMessage();
      }
    }
    assumeTrue(
        CriContainerRuntime.available(ENDPOINT),
        "no containerd with the CRI plugin answers at "
            + ENDPOINT
            + " and "
            + SCRIPT
            + " could not start one (run it as root): skipping the CRI runtime tests. "
            + output);
  }

  private static Path findScript() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve(SCRIPT))) {
        return dir.resolve(SCRIPT);
      }
    }
    return null;
  }

  static String socket() {
    return ENDPOINT.substring("unix://".length());
  }

  /** {@code ctr --address <sock> -n k8s.io args...}; its stdout. */
  static String ctr(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("ctr", "--address", socket(), "-n", "k8s.io"));
    command.addAll(List.of(args));
    return run(Duration.ofSeconds(20), command.toArray(String[]::new));
  }

  /** The ids {@code ctr -n k8s.io containers ls -q} lists (sandboxes and containers). */
  static List<String> ctrContainerIds() throws IOException {
    return ctr("containers", "ls", "-q")
        .lines()
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .toList();
  }

  /** The host pid of a container's task, from {@code ctr tasks ls}. */
  static long taskPid(String containerId) throws IOException {
    for (String line : ctr("tasks", "ls").lines().toList()) {
      String[] cols = line.trim().split("\\s+");
      if (cols.length >= 3 && cols[0].equals(containerId)) {
        return Long.parseLong(cols[1]);
      }
    }
    throw new AssertionError("ctr tasks ls does not list container " + containerId);
  }

  static String run(Duration timeout, String... command) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", command) + " did not finish within " + timeout);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed (" + p.exitValue() + "): " + out);
    }
    return out;
  }

  /**
   * Removes the owned sandboxes (with their containers and cgroups) of the given pod uids: only
   * what the calling test made, so test runs sharing the containerd leave each other alone.
   */
  static void removePods(java.util.Collection<String> podUids) {
    try (CriClient client = new CriClient(ENDPOINT, Duration.ofSeconds(30))) {
      for (String uid : podUids) {
        for (Cri.PodSandbox s : sandboxes(uid)) {
          client
              .runtime()
              .stopPodSandbox(
                  Cri.StopPodSandboxRequest.newBuilder().setPodSandboxId(s.getId()).build());
          client
              .runtime()
              .removePodSandbox(
                  Cri.RemovePodSandboxRequest.newBuilder().setPodSandboxId(s.getId()).build());
        }
        CGROUPS.remove(uid);
      }
    }
  }

  /** A container's status as the runtime reports it over CRI. */
  static Cri.ContainerStatus containerStatus(String containerId) {
    try (CriClient client = new CriClient(ENDPOINT, Duration.ofSeconds(30))) {
      return client
          .runtime()
          .containerStatus(
              Cri.ContainerStatusRequest.newBuilder().setContainerId(containerId).build())
          .getStatus();
    }
  }

  /** Runs a command in a container (ExecSync); its stdout, or an error naming its exit code. */
  static String exec(String containerId, String... command) {
    try (CriClient client = new CriClient(ENDPOINT, Duration.ofSeconds(30))) {
      Cri.ExecSyncResponse r =
          client
              .runtime()
              .execSync(
                  Cri.ExecSyncRequest.newBuilder()
                      .setContainerId(containerId)
                      .addAllCmd(List.of(command))
                      .setTimeout(10)
                      .build());
      if (r.getExitCode() != 0) {
        throw new AssertionError(
            String.join(" ", command)
                + " exited with "
                + r.getExitCode()
                + ": "
                + r.getStderr().toStringUtf8());
      }
      return r.getStdout().toStringUtf8();
    }
  }

  /** The runtime's CNI dirs, as its verbose Status reports them. */
  static CriPodNetwork.RuntimeCni cni() {
    try (CriClient client = new CriClient(ENDPOINT, Duration.ofSeconds(30))) {
      return CriPodNetwork.runtimeCni(
          client
              .runtime()
              .status(Cri.StatusRequest.newBuilder().setVerbose(true).build())
              .getInfoMap());
    }
  }

  /** Owned sandboxes of a pod uid, as the runtime lists them. */
  static List<Cri.PodSandbox> sandboxes(String podUid) {
    try (CriClient client = new CriClient(ENDPOINT, Duration.ofSeconds(30))) {
      return client
          .runtime()
          .listPodSandbox(
              Cri.ListPodSandboxRequest.newBuilder()
                  .setFilter(
                      Cri.PodSandboxFilter.newBuilder()
                          .putLabelSelector(CriLabels.MANAGED, "true")
                          .putLabelSelector(CriLabels.POD_UID, podUid))
                  .build())
          .getItemsList();
    }
  }
}
