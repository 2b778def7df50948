package dev.kubeboot.cli;

import dev.kubeboot.runner.runtime.cri.CriRuntimeOptions;
import dev.kubeboot.runner.runtime.docker.DockerContainerRuntime;
import dev.kubeboot.runner.runtime.docker.DockerRuntimeOptions;
import dev.kubeboot.runner.status.PodStatus;
import dev.kubeboot.runner.status.RunnerStatus;
import dev.kubeboot.runner.status.RunnerStatusReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "logs",
    mixinStandardHelpOptions = true,
    description = {
      "Print the logs of a static pod's container, for the process and the Docker runtimes.",
      "POD is the pod's name (etcd-<node>) or its manifest name (etcd)."
    })
final class LogsCommand implements Callable<Integer> {
  private final CliContext context;

  @Parameters(
      index = "0",
      paramLabel = "POD",
      description = "The pod: its full name or its name without the node suffix.")
  String pod;

  @Option(
      names = {"-n", "--namespace"},
      paramLabel = "NS",
      description = "The pod's namespace (default: any; control-plane pods are in kube-system).")
  String namespace;

  @Option(
      names = {"-c", "--container"},
      paramLabel = "NAME",
      description = "The container (default: the pod's only container).")
  String container;

  @Option(
      names = {"-f", "--follow"},
      description = "Keep printing as the container writes.")
  boolean follow;

  @Option(
      names = {"-p", "--previous"},
      description = "The previous instance of the container (before its last restart).")
  boolean previous;

  @Option(
      names = "--runner-state-dir",
      paramLabel = "DIR",
      description = "The runner's state directory (default ${DEFAULT-VALUE}).",
      defaultValue = "/var/lib/kubeboot")
  Path stateDir;

  @Option(
      names = "--status-port",
      paramLabel = "PORT",
      description = "The runner's status port (default ${DEFAULT-VALUE}).",
      defaultValue = "10248")
  int statusPort;

  LogsCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws Exception {
    RunnerStatus status = runnerStatus();
    PodStatus target = find(status);
    String containerName = containerName(target);
    OutputStream out = new CliOutputStream(context);
    if (status.runtime().equals("docker")) {
      try (var docker = new DockerContainerRuntime(DockerRuntimeOptions.of(stateDir))) {
        String id =
            docker
                .findContainer(target.key(), containerName, previous)
                .orElseThrow(
                    () ->
                        new KubebootException(
                            "no "
                                + (previous ? "previous " : "")
                                + "container "
                                + containerName
                                + " of pod "
                                + target.key()
                                + " in Docker"));
        docker.streamLogs(id, follow, out);
      }
      return ExitCodes.OK;
    }
    // The process runtime keeps logs under its state directory; a CRI runtime at the kubelet's
    // /var/log/pods layout, in the CRI format whose line prefix is dropped here.
    boolean cri = status.runtime().equals("cri");
    Path root = cri ? CriRuntimeOptions.DEFAULT_POD_LOGS_DIR : stateDir.resolve("pods");
    Path dir =
        root.resolve(target.key().namespace() + "_" + target.key().name() + "_" + target.uid())
            .resolve(containerName);
    List<Path> attempts = attempts(dir);
    int index = attempts.size() - (previous ? 2 : 1);
    if (index < 0) {
      throw new KubebootException(
          "no "
              + (previous ? "previous " : "")
              + "log of container "
              + containerName
              + " of pod "
              + target.key()
              + " under "
              + dir);
    }
    copy(attempts.get(index), cri ? new CriLineStripper(out) : out, follow && !previous);
    return ExitCodes.OK;
  }

  private RunnerStatus runnerStatus() throws InterruptedException, KubebootException {
    try {
      var response =
          HttpClient.newBuilder()
              .connectTimeout(Duration.ofSeconds(1))
              .build()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + statusPort + "/pods"))
                      .timeout(Duration.ofSeconds(3))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 200) {
        return RunnerStatusReader.parse(response.body());
      }
    } catch (IOException e) {
      // No runner answers: its last state file still says where the logs are.
    }
    try {
      return RunnerStatusReader.read(stateDir.resolve("status.json"));
    } catch (IOException | RuntimeException e) {
      throw new KubebootException(
          "no runner answers on port "
              + statusPort
              + " and "
              + stateDir.resolve("status.json")
              + " cannot be read ("
              + e.getMessage()
              + "): is --runner-state-dir right?");
    }
  }

  private PodStatus find(RunnerStatus status) throws KubebootException {
    List<PodStatus> matches =
        status.pods().stream()
            .filter(p -> namespace == null || p.key().namespace().equals(namespace))
            .filter(
                p ->
                    p.key().name().equals(pod)
                        || p.key().name().equals(pod + "-" + status.nodeName()))
            .toList();
    if (matches.size() != 1) {
      String known =
          String.join(", ", status.pods().stream().map(p -> p.key().toString()).toList());
      throw new KubebootException(
          (matches.isEmpty() ? "no pod " : "more than one pod ")
              + pod
              + (namespace == null ? "" : " in namespace " + namespace)
              + "; the runner has: "
              + (known.isEmpty() ? "no pods" : known)
              + (matches.isEmpty() ? "" : ": give -n"));
    }
    return matches.getFirst();
  }

  private String containerName(PodStatus target) throws KubebootException {
    if (container != null) {
      return container;
    }
    if (target.containerStatuses().size() != 1) {
      throw new KubebootException(
          "pod "
              + target.key()
              + " has "
              + target.containerStatuses().size()
              + " containers: choose one with -c");
    }
    return target.containerStatuses().getFirst().name();
  }

  private static List<Path> attempts(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(p -> p.getFileName().toString().matches("\\d+\\.log"))
          .sorted(
              Comparator.comparingInt(
                  p -> Integer.parseInt(p.getFileName().toString().replace(".log", ""))))
          .toList();
    }
  }

  private static void copy(Path file, OutputStream out, boolean follow)
      throws IOException, InterruptedException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[8192];
      while (true) {
        int n = in.read(buffer);
        if (n > 0) {
          out.write(buffer, 0, n);
          continue;
        }
        out.flush();
        if (!follow) {
          return;
        }
        Thread.sleep(200);
      }
    }
  }

  /**
   * Drops the CRI log prefix "<time> <stream>
   *
   * <P|F>" of each line, as kubectl logs shows them.
   */
  private static final class CriLineStripper extends OutputStream {
    private final OutputStream out;
    private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

    CriLineStripper(OutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
      if (b != '\n') {
        line.write(b);
        return;
      }
      String text = line.toString(StandardCharsets.UTF_8);
      line.reset();
      String[] parts = text.split(" ", 4);
      boolean partial = parts.length == 4 && parts[2].equals("P");
      String content = parts.length == 4 ? parts[3] : text;
      out.write(content.getBytes(StandardCharsets.UTF_8));
      if (!partial) {
        out.write('\n');
      }
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }
  }

  /** Bytes to the command's output writer (UTF-8, as the containers write). */
  private static final class CliOutputStream extends OutputStream {
    private final CliContext context;

    CliOutputStream(CliContext context) {
      this.context = context;
    }

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      context.out().write(new String(b, off, len, StandardCharsets.UTF_8));
    }

    @Override
    public void flush() {
      context.out().flush();
    }
  }
}
