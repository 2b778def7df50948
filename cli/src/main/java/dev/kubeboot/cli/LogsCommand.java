package dev.kubeboot.cli;

import dev.kubeboot.cli.options.RunnerOptions;
import dev.kubeboot.runner.RunnerClient;
import dev.kubeboot.runner.runtime.LogNotFoundException;
import dev.kubeboot.runner.runtime.LogQuery;
import dev.kubeboot.runner.status.PodStatus;
import dev.kubeboot.runner.status.RunnerStatus;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "logs",
    mixinStandardHelpOptions = true,
    description = {
      "Print the logs of a static pod's container, the same way on every runtime (host processes,"
          + " Docker, CRI).",
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
      names = "--kubernetes-dir",
      paramLabel = "DIR",
      description =
          "Where init wrote kubeconfigs and manifests; its runner keeps its state in DIR/runner.")
  Path kubernetesDir;

  @Mixin RunnerOptions runner = new RunnerOptions();

  LogsCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws Exception {
    RunnerClient client = runner.client(Optional.ofNullable(kubernetesDir));
    RunnerStatus status = runnerStatus(client);
    PodStatus target = find(status);
    String containerName = containerName(target);
    try {
      client.copyLog(
          status,
          new LogQuery(target.key(), target.uid(), containerName, previous, follow),
          new CliOutputStream(context));
    } catch (LogNotFoundException e) {
      throw new KubebootException(e.getMessage(), e);
    } catch (IllegalStateException e) {
      throw new KubebootException(
          "cannot reach the runner's " + status.runtime() + " runtime: " + e.getMessage(), e);
    }
    return ExitCodes.OK;
  }

  /** The live runner of the state directory, else the last status it wrote. */
  private static RunnerStatus runnerStatus(RunnerClient client)
      throws InterruptedException, KubebootException {
    return switch (client.identify()) {
      case RunnerClient.Serving serving -> serving.status();
      case RunnerClient.Foreign foreign ->
          throw new KubebootException(
              foreign.reason() + ": give the runner's --runner-state-dir and --status-port");
      case RunnerClient.Absent absent ->
          client
              .lastState()
              .orElseThrow(
                  () ->
                      new KubebootException(
                          "no runner answers on "
                              + client.statusUri()
                              + " and "
                              + client.stateDir().resolve("status.json")
                              + " cannot be read: are --runner-state-dir (or --kubernetes-dir)"
                              + " and --status-port right?"));
    };
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
