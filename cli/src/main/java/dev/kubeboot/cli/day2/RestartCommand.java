package dev.kubeboot.cli.day2;

import dev.kubeboot.cli.CliContext;
import dev.kubeboot.cli.ExitCodes;
import dev.kubeboot.cli.KubebootException;
import dev.kubeboot.cli.UsageException;
import dev.kubeboot.cli.init.InitOptions;
import dev.kubeboot.cli.init.KubeLayout;
import dev.kubeboot.cli.options.RunnerOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * kubeboot restart: a static pod cannot be restarted with kubectl (its mirror pod only reflects
 * it), so this asks the runner that serves this node's manifests, through its control socket, to
 * restart the pod's containers as a crash would: gracefully, and no sooner than its crash backoff
 * allows. Then it waits until each runs again.
 */
@Command(
    name = "restart",
    mixinStandardHelpOptions = true,
    description = {
      "Restart control-plane static Pods gracefully through the runner.",
      "Each container gets its termination grace period, then starts again no sooner than its crash"
          + " backoff allows (a pod that crashed or restarted lately waits). Needs the runner that"
          + " serves this node's manifests, and root for its control socket. Waits until every pod"
          + " named runs again."
    })
public final class RestartCommand implements Callable<Integer> {
  /** The control plane's static pods, by their manifests' names, in kubeadm's order. */
  static final List<String> COMPONENTS =
      List.of("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler");

  private final CliContext context;

  @Parameters(
      arity = "1..*",
      paramLabel = "COMPONENT",
      description = "etcd, kube-apiserver, kube-controller-manager, kube-scheduler, or all.")
  List<String> components;

  @Option(
      names = "--kubernetes-dir",
      paramLabel = "DIR",
      description = "Where the manifests are (DIR/manifests; default /etc/kubernetes).")
  Path kubernetesDir;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      description = "How long to wait for the pods to run again, as a Go duration (default 2m0s).")
  String timeout;

  @Mixin RunnerOptions runner = new RunnerOptions();

  public RestartCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws UsageException, KubebootException, InterruptedException {
    var wait = StaticPodRestarts.WAIT;
    if (timeout != null) {
      wait =
          dev.kubeboot.runner.manifest.GoDuration.parse(timeout)
              .filter(d -> d.isPositive())
              .orElseThrow(
                  () ->
                      new UsageException(
                          "--timeout "
                              + timeout
                              + ": not a positive duration; write it as Go does, e.g. 90s or 2m"));
    }
    InitOptions options = InitOptions.forNode(null, kubernetesDir, null, runner);
    Path dir = options.kubernetesDirOrDefault();
    KubeLayout layout = KubeLayout.of(dir, dir.resolve("pki"));
    List<String> named = resolve(components, layout);
    new StaticPodRestarts(options.runnerClient(), layout, context.out(), wait, "restart")
        .restartNow(named);
    return ExitCodes.OK;
  }

  /** The components named, "all" as the control plane's pods whose manifests exist. */
  static List<String> resolve(List<String> names, KubeLayout layout) throws UsageException {
    var resolved = new LinkedHashSet<String>();
    for (String name : names) {
      if (name.equals("all")) {
        for (String component : COMPONENTS) {
          if (Files.isRegularFile(layout.manifest(component + ".yaml"))) {
            resolved.add(component);
          }
        }
      } else if (COMPONENTS.contains(name)) {
        resolved.add(name);
      } else {
        throw new UsageException(
            "COMPONENT \""
                + name
                + "\" is not a control-plane component: use one of "
                + String.join(", ", COMPONENTS)
                + " or all");
      }
    }
    if (resolved.isEmpty()) {
      throw new UsageException(
          "all: no control-plane manifest in "
              + layout.manifestDir()
              + ": is --kubernetes-dir right?");
    }
    return new ArrayList<>(resolved);
  }
}
