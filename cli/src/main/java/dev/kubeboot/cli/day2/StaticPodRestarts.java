package dev.kubeboot.cli.day2;

import dev.kubeboot.cli.KubebootException;
import dev.kubeboot.cli.init.KubeLayout;
import dev.kubeboot.runner.RunnerClient;
import dev.kubeboot.runner.manifest.GoDuration;
import dev.kubeboot.runner.pod.PodKey;
import dev.kubeboot.runner.status.ContainerState;
import dev.kubeboot.runner.status.ContainerStatus;
import dev.kubeboot.runner.status.PodStatus;
import dev.kubeboot.runner.status.RunnerStatus;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Restarts static pods through the runner that serves this node's manifests and waits until each is
 * running again: for {@code restart} (where no runner is an error), and after a renewal (where it
 * prints how to do it by hand instead: no such runner, --no-restart, a pod the runner does not
 * run).
 */
final class StaticPodRestarts {
  /** Control-plane pods stop within their 30 s grace period; this leaves room to start again. */
  static final Duration WAIT = Duration.ofMinutes(2);

  private static final Duration POLL = Duration.ofMillis(200);

  private final RunnerClient runner;
  private final KubeLayout layout;
  private final PrintWriter out;
  private final Duration wait;
  private final String tag;

  /** As {@code certs renew} uses it: its lines tagged "[renew]". */
  StaticPodRestarts(RunnerClient runner, KubeLayout layout, PrintWriter out, Duration wait) {
    this(runner, layout, out, wait, "renew");
  }

  /**
   * @param tag what the progress lines start with, in brackets (kubeadm's phase style)
   */
  StaticPodRestarts(
      RunnerClient runner, KubeLayout layout, PrintWriter out, Duration wait, String tag) {
    this.runner = runner;
    this.layout = layout;
    this.out = out;
    this.wait = wait;
    this.tag = "[" + tag + "] ";
  }

  /**
   * Restarts every pod of {@code components} now; anything that stands in the way is an error: no
   * runner serving this node's manifests, a pod it does not run, a refused request.
   *
   * @throws KubebootException nothing was asked (the message says why), or a pod asked did not run
   *     again in time
   */
  void restartNow(List<String> components) throws InterruptedException, KubebootException {
    RunnerStatus serving =
        switch (runner.identify(layout.manifestDir())) {
          case RunnerClient.Serving s -> s.status();
          case RunnerClient.Foreign foreign ->
              throw new KubebootException(
                  "cannot restart through the runner: "
                      + foreign.reason()
                      + ". Give --status-port and --runner-state-dir of the runner serving "
                      + layout.manifestDir());
          case RunnerClient.Absent absent ->
              throw new KubebootException(
                  "the runner is not running: nothing answers on "
                      + runner.statusUri()
                      + " for "
                      + layout.manifestDir()
                      + ". Start it (systemctl start kubeboot-runner, or kubeboot runner); it starts"
                      + " the static Pods itself");
        };
    var pods = new ArrayList<PodStatus>();
    var missing = new ArrayList<String>();
    for (String component : components) {
      podOf(serving, component).ifPresentOrElse(pods::add, () -> missing.add(component));
    }
    if (!missing.isEmpty()) {
      throw new KubebootException(
          "the runner runs no static Pod from "
              + String.join(
                  ", ", missing.stream().map(c -> layout.manifest(c + ".yaml").toString()).toList())
              + ": check the manifest with `kubeboot status`; nothing was restarted");
    }
    var asked = new ArrayList<PodStatus>();
    for (PodStatus pod : pods) {
      boolean accepted;
      try {
        accepted = runner.restart(pod.key());
      } catch (IOException e) {
        throw new KubebootException(
            "cannot restart static Pod \""
                + pod.key().name()
                + "\""
                + (asked.isEmpty() ? "" : " (restarting " + names(asked) + " already)")
                + ": "
                + e.getMessage(),
            e);
      }
      if (!accepted) {
        throw new KubebootException(
            "the runner no longer runs static Pod \"" + pod.key().name() + "\": its manifest went");
      }
      out.println(tag + "Restarting static Pod \"" + pod.key().name() + "\"");
      out.flush();
      asked.add(pod);
    }
    List<String> late = awaitRestarted(asked, serving.pid());
    if (!late.isEmpty()) {
      throw lateError(late);
    }
  }

  private static String names(List<PodStatus> pods) {
    return String.join(", ", pods.stream().map(p -> p.key().name()).toList());
  }

  private KubebootException lateError(List<String> late) {
    return new KubebootException(
        "static Pod(s) "
            + String.join(", ", late)
            + " did not run again within "
            + GoDuration.format(wait)
            + " of the restart request (a restart waits for the crash backoff of a pod that"
            + " crashed or restarted lately): check them with `kubeboot status` and `kubeboot"
            + " logs <pod>`");
  }

  /**
   * @param components manifest names without ".yaml" (kube-apiserver, etcd, ...), in order
   * @param restart false for --no-restart: only say what to do
   * @throws KubebootException a pod the runner accepted to restart did not run again in time
   */
  void restart(List<String> components, boolean restart)
      throws InterruptedException, KubebootException {
    Optional<RunnerStatus> serving = Optional.empty();
    switch (runner.identify(layout.manifestDir())) {
      case RunnerClient.Serving s -> serving = Optional.of(s.status());
      case RunnerClient.Foreign foreign ->
          out.println(
              tag + "Not asking the runner on " + runner.statusUri() + ": " + foreign.reason());
      case RunnerClient.Absent absent -> {}
    }
    if (!restart || serving.isEmpty()) {
      printManual(components, serving);
      return;
    }
    long pid = serving.get().pid();
    var asked = new ArrayList<PodStatus>();
    var manual = new ArrayList<String>();
    for (String component : components) {
      Optional<PodStatus> pod = podOf(serving.get(), component);
      if (pod.isEmpty()) {
        out.println(
            tag
                + "The runner runs no static Pod from "
                + layout.manifest(component + ".yaml")
                + "; it will use the new certificates when it starts");
        continue;
      }
      try {
        if (runner.restart(pod.get().key())) {
          asked.add(pod.get());
        } else {
          out.println(
              tag
                  + "The runner no longer runs static Pod \""
                  + pod.get().key().name()
                  + "\"; it will use the new certificates when it starts");
        }
      } catch (IOException e) {
        out.println(
            tag
                + "Could not restart static Pod \""
                + pod.get().key().name()
                + "\" through the runner: "
                + e.getMessage());
        manual.add(component);
      }
    }
    out.flush();
    List<String> late = awaitRestarted(asked, pid);
    if (!manual.isEmpty()) {
      printManual(manual, Optional.empty());
    }
    if (!late.isEmpty()) {
      throw lateError(late);
    }
  }

  /** Prints each pod once it runs again; returns the names of those that did not in time. */
  private List<String> awaitRestarted(List<PodStatus> asked, long pid) throws InterruptedException {
    var pending = new ArrayList<>(asked);
    long deadline = System.nanoTime() + wait.toNanos();
    while (!pending.isEmpty()) {
      // Only the runner that was checked and asked counts.
      Optional<RunnerStatus> now = runner.status().filter(s -> s.pid() == pid);
      for (var it = pending.iterator(); it.hasNext(); ) {
        PodStatus before = it.next();
        if (now.isPresent() && restarted(before, now.get().pod(before.key()))) {
          out.println(tag + "Restarted static Pod \"" + before.key().name() + "\"");
          out.flush();
          it.remove();
        }
      }
      if (pending.isEmpty() || System.nanoTime() > deadline) {
        break;
      }
      Thread.sleep(POLL);
    }
    return pending.stream().map(p -> p.key().name()).toList();
  }

  /** Every container that ran before has a higher restart count and is running again. */
  private static boolean restarted(PodStatus before, Optional<PodStatus> after) {
    if (after.isEmpty() || !after.get().uid().equals(before.uid())) {
      // A new uid means the manifest changed meanwhile: a fresh pod reads the new files anyway.
      return after.isPresent();
    }
    for (ContainerStatus old : before.containerStatuses()) {
      Optional<ContainerStatus> now = after.get().container(old.name());
      if (now.isEmpty()
          || now.get().restartCount() <= old.restartCount()
          || !(now.get().state() instanceof ContainerState.Running)) {
        return false;
      }
    }
    return true;
  }

  private Optional<PodStatus> podOf(RunnerStatus status, String component) {
    Path manifest = layout.manifest(component + ".yaml");
    return status.pods().stream()
        .filter(p -> Path.of(p.source()).toAbsolutePath().normalize().equals(manifest))
        .findFirst();
  }

  private void printManual(List<String> components, Optional<RunnerStatus> serving) {
    out.println();
    out.println(
        "Done renewing certificates. You must restart "
            + String.join(", ", components)
            + ", so that they can use the new certificates.");
    if (serving.isPresent()) {
      out.println(
          "The runner serving "
              + layout.manifestDir()
              + " restarts a static Pod on request through its control socket (as root); for each"
              + " of them run:");
      for (String component : components) {
        PodKey key =
            podOf(serving.get(), component)
                .map(PodStatus::key)
                .orElse(new PodKey("kube-system", component + "-" + serving.get().nodeName()));
        out.println("  " + runner.restartCommand(key));
      }
    } else {
      out.println(
          "No runner serving " + layout.manifestDir() + " answers on " + runner.statusUri() + ".");
      out.println(
          "kubeboot's runner re-creates a static Pod when its manifest goes away and comes back; for each of them run:");
      for (String component : components) {
        var manifest = layout.manifest(component + ".yaml");
        var parked = layout.kubernetesDir().resolve(component + ".yaml.restart");
        out.println(
            "  mv " + manifest + " " + parked + " && sleep 20 && mv " + parked + " " + manifest);
      }
    }
    out.flush();
  }
}
