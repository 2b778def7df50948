package dev.kubeboot.runner.status;

import dev.kubeboot.runner.pod.PodKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the latest {@link RunnerStatus}. Writers (pod workers, the manifest source) swap in a new
 * immutable snapshot; readers ({@code /pods}, the state file, a future mirror-pod syncer) take the
 * current one or listen for changes. A write that changes nothing notifies no one.
 */
public final class StatusStore {
  private static final Logger LOG = LoggerFactory.getLogger(StatusStore.class);

  private final List<Consumer<RunnerStatus>> listeners = new CopyOnWriteArrayList<>();
  private final Object lock = new Object();
  private final Map<PodKey, PodStatus> pods = new TreeMap<>();
  private volatile RunnerStatus current;

  public StatusStore(RunnerStatus initial) {
    this.current = Objects.requireNonNull(initial, "initial");
    initial.pods().forEach(p -> pods.put(p.key(), p));
  }

  public RunnerStatus current() {
    return current;
  }

  /** Sets (or replaces) the status of the pod with {@code status.key()}. */
  public void putPod(PodStatus status) {
    synchronized (lock) {
      // Most updates repeat the pod's status; building and comparing a whole new snapshot for
      // them is O(pods) each, which showed in a profile of 1000 pods starting.
      if (status.equals(pods.get(status.key()))) {
        return;
      }
    }
    swap(() -> pods.put(status.key(), status), null);
  }

  /** Removes a pod's status, unless a newer pod (another uid) has taken its key meanwhile. */
  public void removePod(PodKey key, String uid) {
    swap(
        () -> {
          PodStatus existing = pods.get(key);
          if (existing != null && existing.uid().equals(uid)) {
            pods.remove(key);
          }
        },
        null);
  }

  public void setManifestErrors(List<FileError> errors) {
    swap(() -> {}, List.copyOf(errors));
  }

  /** Sets the mirror-pod syncer's state: "off", "on" or "waiting: <reason>". */
  public void setMirror(String mirror) {
    Objects.requireNonNull(mirror, "mirror");
    swap(() -> {}, null, mirror);
  }

  /** Calls {@code listener} after every change, on the thread that made it; keep it short. */
  public AutoCloseable addListener(Consumer<RunnerStatus> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  private void swap(Runnable change, List<FileError> errors) {
    swap(change, errors, null);
  }

  private void swap(Runnable change, List<FileError> errors, String mirror) {
    RunnerStatus next;
    synchronized (lock) {
      change.run();
      RunnerStatus before = current;
      next =
          new RunnerStatus(
              before.pid(),
              before.startTime(),
              before.runtime(),
              before.runtimeEndpoint(),
              before.manifestPath(),
              before.nodeName(),
              mirror != null ? mirror : before.mirror(),
              new ArrayList<>(pods.values()),
              errors != null ? errors : before.manifestErrors());
      if (next.equals(before)) {
        return;
      }
      current = next;
    }
    for (Consumer<RunnerStatus> listener : listeners) {
      try {
        listener.accept(next);
      } catch (RuntimeException e) {
        LOG.warn("status listener {} failed", listener, e);
      }
    }
  }
}
