package dev.kubeboot.cli.day2;

import dev.kubeboot.cli.io.FileMode;
import dev.kubeboot.cli.io.FileSink;
import dev.kubeboot.cli.output.Printer;
import dev.kubeboot.runner.manifest.GoDuration;
import dev.kubeboot.runner.status.ContainerState;
import dev.kubeboot.runner.status.ContainerStatus;
import dev.kubeboot.runner.status.PodStatus;
import dev.kubeboot.runner.worker.Sleeper;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Replaces one static pod's manifest and waits for the runner to run the new pod healthy, or puts
 * the old manifest back.
 *
 * <pre>
 *   current == next ─────────────────────────────────────────────▶ Unchanged
 *   before-swap hook (etcd snapshot, certificate renewal) fails ──▶ exception, manifest untouched
 *   back up old ─▶ write next ─▶ wait: new config hash, Ready, health 200 ─▶ Upgraded
 *                                    │ timeout
 *                                    ▼
 *                  write old ─▶ wait: old config hash, Ready, health 200 ─▶ RolledBack(reason)
 *                                    │ timeout
 *                                    ▼
 *                                 RolledBack(reason, rollback problem)
 * </pre>
 *
 * Every manifest write is atomic (the sink's temp file and rename), so the live manifest is always
 * the old or the new one, whole, whatever moment the process dies at.
 */
final class StaticPodUpgrade {
  /** What became of one component. */
  sealed interface Outcome {}

  /** The new manifest equals the live one: nothing was touched. */
  record Unchanged() implements Outcome {}

  /** The new pod runs healthy; the old manifest is kept in {@code backup}. */
  record Upgraded(Path backup) implements Outcome {}

  /**
   * The new pod did not come up healthy: the old manifest is live again. {@code rollbackProblem}
   * says why the old pod is not healthy either, when it is not.
   */
  record RolledBack(String reason, Optional<String> rollbackProblem) implements Outcome {}

  /** Runs before the manifest is replaced (etcd's data snapshot, certificate renewal). */
  @FunctionalInterface
  interface BeforeSwap {
    void run() throws Exception;
  }

  private final FileSink sink;
  private final ControlPlaneWatch watch;
  private final Clock clock;
  private final Sleeper sleeper;
  private final Duration timeout;
  private final Duration poll;
  private final Printer printer;

  StaticPodUpgrade(
      FileSink sink,
      ControlPlaneWatch watch,
      Clock clock,
      Sleeper sleeper,
      Duration timeout,
      Duration poll,
      Printer printer) {
    this.sink = sink;
    this.watch = watch;
    this.clock = clock;
    this.sleeper = sleeper;
    this.timeout = timeout;
    this.poll = poll;
    this.printer = printer;
  }

  /**
   * Upgrades {@code component} from the manifest at {@code manifest} to {@code next}, keeping the
   * old one as {@code backupDir}/file name.
   */
  Outcome upgrade(
      ManifestComponent component,
      Path manifest,
      byte[] next,
      Path backupDir,
      BeforeSwap beforeSwap)
      throws Exception {
    String name = component.podName();
    printer.phase("upgrade/staticpods", "Preparing for \"%s\" upgrade", name);
    Optional<byte[]> current = sink.read(manifest);
    if (current.isPresent() && Arrays.equals(current.get(), next)) {
      printer.phase(
          "upgrade/staticpods",
          "Current and new manifests of %s are equal, skipping upgrade",
          name);
      return new Unchanged();
    }
    Optional<String> beforeUid = watch.pod(manifest).map(PodStatus::uid);
    beforeSwap.run();
    Path backup = backupDir.resolve(manifest.getFileName());
    if (current.isPresent()) {
      sink.write(backup, current.get(), FileMode.MANIFEST);
    }
    printer.phase(
        "upgrade/staticpods",
        "Moving new manifest to \"%s\" and backing up old manifest to \"%s\"",
        manifest,
        backup);
    sink.write(manifest, next, FileMode.MANIFEST);
    printer.phase(
        "upgrade/staticpods",
        "Waiting for the runner to restart the component (up to %s)",
        GoDuration.format(timeout));
    Optional<String> problem =
        await(component, manifest, uid -> beforeUid.map(b -> !b.equals(uid)).orElse(true));
    if (problem.isEmpty()) {
      printer.phase("upgrade/staticpods", "Component \"%s\" upgraded successfully!", name);
      return new Upgraded(backup);
    }
    if (current.isEmpty()) {
      sink.delete(manifest);
      return new RolledBack(problem.get(), Optional.empty());
    }
    printer.phase(
        "upgrade/staticpods",
        "Component \"%s\" did not come up healthy (%s); restoring its old manifest",
        name,
        problem.get());
    sink.write(manifest, current.get(), FileMode.MANIFEST);
    Optional<String> rollbackProblem =
        await(component, manifest, uid -> beforeUid.map(b -> b.equals(uid)).orElse(true));
    if (rollbackProblem.isEmpty()) {
      printer.phase("upgrade/staticpods", "Component \"%s\" runs its old manifest again", name);
    }
    return new RolledBack(problem.get(), rollbackProblem);
  }

  /** Empty once the pod with an accepted config hash is Ready and healthy; else the last reason. */
  private Optional<String> await(
      ManifestComponent component, Path manifest, Predicate<String> acceptedUid)
      throws InterruptedException {
    Instant deadline = clock.instant().plus(timeout);
    while (true) {
      String reason;
      Optional<PodStatus> pod = watch.pod(manifest);
      if (pod.isEmpty()) {
        reason = "the runner reports no pod from " + manifest;
      } else if (!acceptedUid.test(pod.get().uid())) {
        reason =
            "the runner still runs the pod of the other manifest (config hash "
                + pod.get().uid()
                + ")";
      } else if (!pod.get().ready()) {
        reason = notReady(pod.get());
      } else {
        var health = watch.health(component);
        if (health.healthy()) {
          return Optional.empty();
        }
        reason = "its health check answers " + health.detail();
      }
      Instant now = clock.instant();
      if (!now.isBefore(deadline)) {
        return Optional.of(reason + " after " + GoDuration.format(timeout));
      }
      Instant next = now.plus(poll);
      sleeper.sleepUntil(next.isBefore(deadline) ? next : deadline);
    }
  }

  /** Why a pod is not Ready, from its containers' states. */
  static String notReady(PodStatus pod) {
    List<String> parts = new ArrayList<>();
    for (ContainerStatus c : pod.containerStatuses()) {
      String last =
          c.lastState()
              .map(
                  t ->
                      "; last exit code "
                          + t.exitCode()
                          + (c.restartCount() > 0
                              ? ", restarted " + c.restartCount() + " times"
                              : ""))
              .orElse("");
      switch (c.state()) {
        case ContainerState.Waiting w ->
            parts.add(
                "container "
                    + c.name()
                    + " is waiting ("
                    + w.reason()
                    + (w.message() == null || w.message().isBlank() ? "" : ": " + w.message())
                    + ")"
                    + last);
        case ContainerState.Terminated t ->
            parts.add("container " + c.name() + " exited with code " + t.exitCode() + last);
        case ContainerState.Running r -> {
          if (!c.ready()) {
            parts.add("container " + c.name() + " is running but not ready" + last);
          }
        }
      }
    }
    return "pod "
        + pod.key().name()
        + " is not ready"
        + (parts.isEmpty() ? "" : ": " + String.join(", ", parts));
  }
}
