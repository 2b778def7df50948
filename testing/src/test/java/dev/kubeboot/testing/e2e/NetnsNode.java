package dev.kubeboot.testing.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeboot.runner.RunnerPidFile;
import dev.kubeboot.runner.Runners;
import dev.kubeboot.testing.e2e.E2eSupport.Result;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One node of a {@link NetnsCluster}: its network namespace and address, and its own kubernetes dir
 * ({@code <dir>/kubernetes}, the runner's state in {@code kubernetes/runner}) and etcd data dir.
 * Commands run inside the namespace, so kubeboot and everything it starts use the default ports
 * there.
 */
final class NetnsNode {
  private final int index;
  private final String namespace;
  private final String address;
  private final Path dir;
  private List<String> runnerCommand = List.of();

  NetnsNode(int index, String namespace, String address, Path dir) {
    this.index = index;
    this.namespace = namespace;
    this.address = address;
    this.dir = dir;
  }

  int index() {
    return index;
  }

  /** {@code node<i>}: the node name the configs give. */
  String name() {
    return "node" + index;
  }

  String namespace() {
    return namespace;
  }

  /** This node's address on the cluster's bridge. */
  String address() {
    return address;
  }

  Path dir() {
    return dir;
  }

  Path kubernetesDir() {
    return dir.resolve("kubernetes");
  }

  Path stateDir() {
    return kubernetesDir().resolve("runner");
  }

  Path etcdDataDir() {
    return dir.resolve("etcd-data");
  }

  Path adminConf() {
    return kubernetesDir().resolve("admin.conf");
  }

  /**
   * Adds a default route via {@code gateway} in this node's namespace: commands that detect the
   * node's address (reset, for one) look for the default route's interface, as on a real host.
   */
  void addDefaultRoute(String gateway) throws Exception {
    Result route =
        NetnsCluster.exec(
            namespace,
            Duration.ofSeconds(10),
            Map.of(),
            "ip",
            "route",
            "add",
            "default",
            "via",
            gateway);
    assertThat(route.code()).as(route.out()).isZero();
  }

  /**
   * The kubectl command line for {@code args} with this node's admin.conf, each request given 10 s:
   * the caller runs it in the namespace it reaches the API from.
   */
  String[] kubectl(String... args) {
    var command =
        new ArrayList<>(
            List.of(
                "/usr/bin/kubectl",
                "--kubeconfig",
                adminConf().toString(),
                "--request-timeout",
                "10s"));
    command.addAll(List.of(args));
    return command.toArray(String[]::new);
  }

  /**
   * kubeadm's InitConfiguration and ClusterConfiguration for this node: advertising its address,
   * Debian's etcd (image tag 3.4.23-0) with data in {@link #etcdDataDir}, and {@code
   * controlPlaneEndpoint} when not blank.
   */
  String initConfig(String controlPlaneEndpoint) {
    String config =
        """
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: InitConfiguration
        localAPIEndpoint:
          advertiseAddress: %s
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
            .formatted(address, name(), etcdDataDir());
    return controlPlaneEndpoint.isBlank()
        ? config
        : config + "controlPlaneEndpoint: " + controlPlaneEndpoint + "\n";
  }

  /** Writes {@code text} as {@code <dir>/<file>} and returns its path. */
  Path write(String file, String text) throws Exception {
    Files.createDirectories(dir);
    return Files.writeString(dir.resolve(file), text);
  }

  /** Runs {@code ./kubeboot} in this node's namespace with the stand-ins first on PATH. */
  Result kubeboot(Duration timeout, String... args) throws Exception {
    var command = new ArrayList<String>();
    command.add(E2eSupport.REPO.resolve("kubeboot").toString());
    command.addAll(List.of(args));
    return exec(timeout, command.toArray(String[]::new));
  }

  /** Runs a command in this node's namespace, with the stand-ins first on PATH. */
  Result exec(Duration timeout, String... command) throws Exception {
    return NetnsCluster.exec(namespace, timeout, Map.of("PATH", path()), command);
  }

  /**
   * Remembers how the runner init started was launched (its command line, from /proc), so that
   * {@link #restartRunner} can bring the node back after {@link #killWhole} as a service manager
   * would. Call after init.
   */
  void recordRunner() throws Exception {
    long pid =
        RunnerPidFile.read(stateDir())
            .flatMap(RunnerPidFile::liveProcess)
            .orElseThrow(() -> new AssertionError(name() + ": no live runner in " + stateDir()))
            .pid();
    byte[] cmdline = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
    runnerCommand =
        Arrays.stream(new String(cmdline, StandardCharsets.UTF_8).split("\0"))
            .filter(s -> !s.isEmpty())
            .toList();
  }

  /** The machine "loses power": every process in the namespace (runner and pods) gets SIGKILL. */
  int killWhole() throws Exception {
    return NetnsCluster.killAll(namespace);
  }

  /** The node "boots": the runner recorded by {@link #recordRunner} starts again, detached. */
  void restartRunner() throws Exception {
    if (runnerCommand.isEmpty()) {
      throw new AssertionError(name() + ": recordRunner() was not called after init");
    }
    var command = new ArrayList<>(List.of("ip", "netns", "exec", namespace, "setsid"));
    command.addAll(runnerCommand);
    var builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(stateDir().resolve(Runners.RUNNER_LOG).toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.environment().put("PATH", path());
    builder.start();
  }

  private static String path() {
    return E2eSupport.REPO.resolve("testing/bin") + ":" + System.getenv("PATH");
  }

  @Override
  public String toString() {
    return name() + " (" + address + " in " + namespace + ")";
  }
}
