package dev.kubeboot.runner.worker;

import dev.kubeboot.runner.manifest.ManifestSnapshot;
import dev.kubeboot.runner.metrics.RunnerMetrics;
import dev.kubeboot.runner.pod.PodKey;
import dev.kubeboot.runner.pod.StaticPod;
import dev.kubeboot.runner.probe.Prober;
import dev.kubeboot.runner.runtime.ContainerHandle;
import dev.kubeboot.runner.runtime.ContainerRuntime;
import dev.kubeboot.runner.status.FileError;
import dev.kubeboot.runner.status.StatusStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns each {@link ManifestSnapshot} (the whole desired set) into pod workers, diffing by key and
 * uid: a new key starts a worker; a new uid under a known key terminates the old worker and starts
 * the new pod the moment every old container has stopped (no requeue delay, unlike the kubelet); a
 * key that is gone is terminated and its pod removed from the runtime.
 */
public final class PodWorkers implements Consumer<ManifestSnapshot>, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PodWorkers.class);

  private final WorkerContext ctx;
  private final Map<PodKey, PodWorker> workers = new HashMap<>();
  private final Map<String, Map<String, ContainerHandle>> adoptable = new HashMap<>();
  private final List<PodWorker> retiring = new ArrayList<>();
  private boolean closed;

  /**
   * @param sleeper waits on {@code clock} (backoff and probe schedules); tests pass a fake pair
   * @param nodeIP the node's IP: hostIP of every pod, podIP of hostNetwork pods
   */
  public PodWorkers(
      ContainerRuntime runtime,
      Prober prober,
      StatusStore store,
      Clock clock,
      Sleeper sleeper,
      String nodeIP) {
    this(runtime, prober, store, clock, sleeper, nodeIP, new RunnerMetrics(store::current));
  }

  /**
   * As above, counting into {@code metrics}.
   *
   * @param metrics the runner's metrics: starts, restarts, backoff, probes, pod timings
   */
  public PodWorkers(
      ContainerRuntime runtime,
      Prober prober,
      StatusStore store,
      Clock clock,
      Sleeper sleeper,
      String nodeIP,
      RunnerMetrics metrics) {
    this.ctx =
        new WorkerContext(
            runtime, prober, clock, sleeper, new CrashBackoff(), store, nodeIP, metrics);
  }

  /**
   * Hands over containers found running from an earlier runner; the worker for their pod uid takes
   * them as running (restartCount = their attempt) instead of starting them again. Call before the
   * first {@link #accept}.
   */
  public synchronized void adopt(Collection<ContainerHandle> handles) {
    for (ContainerHandle h : handles) {
      adoptable.computeIfAbsent(h.podUid(), u -> new HashMap<>()).put(h.containerName(), h);
    }
  }

  @Override
  public synchronized void accept(ManifestSnapshot snapshot) {
    if (closed) {
      return;
    }
    ctx.store()
        .setManifestErrors(
            snapshot.errors().stream()
                .map(e -> new FileError(e.file().toString(), e.message()))
                .toList());
    for (StaticPod pod : snapshot.pods().values()) {
      PodWorker existing = workers.get(pod.key());
      if (existing == null) {
        LOG.info("adding pod {} ({}) from {}", pod.key(), pod.uid(), pod.source());
        workers.put(pod.key(), startWorker(pod, CompletableFuture.completedFuture(null)));
      } else if (!existing.pod().uid().equals(pod.uid())) {
        LOG.info(
            "pod {} changed ({} -> {}): stopping the old one, then starting the new one",
            pod.key(),
            existing.pod().uid(),
            pod.uid());
        existing.terminate(true);
        retire(existing);
        workers.put(pod.key(), startWorker(pod, existing.terminated()));
      } else {
        existing.update(pod);
      }
    }
    for (var it = workers.entrySet().iterator(); it.hasNext(); ) {
      var entry = it.next();
      if (!snapshot.pods().containsKey(entry.getKey())) {
        LOG.info("removing pod {} ({})", entry.getKey(), entry.getValue().pod().uid());
        entry.getValue().terminate(true);
        retire(entry.getValue());
        it.remove();
      }
    }
  }

  /**
   * Restarts the containers of the pod under {@code key} gracefully, as {@code crictl stop} of each
   * would on a kubelet node: restartCount rises and the next start waits for the crash backoff, so
   * requests can never restart a pod faster than crashes would.
   *
   * @return false when no pod has that key (or it is being removed)
   */
  public synchronized boolean restart(PodKey key) {
    PodWorker worker = closed ? null : workers.get(key);
    return worker != null && worker.restart();
  }

  private PodWorker startWorker(StaticPod pod, CompletableFuture<Void> predecessorGone) {
    Map<String, ContainerHandle> adopted = adoptable.remove(pod.uid());
    PodWorker worker =
        new PodWorker(ctx, pod, predecessorGone, adopted == null ? Map.of() : adopted);
    worker.start();
    return worker;
  }

  private void retire(PodWorker worker) {
    retiring.removeIf(w -> w.terminated().isDone());
    retiring.add(worker);
  }

  /** Stops every pod and waits until all their containers have stopped. */
  public void stopAll() throws InterruptedException {
    shutdown(true);
  }

  /**
   * Ends all workers. With {@code stopPods} every container is stopped; without, containers keep
   * running for the next runner to adopt (like a kubelet restart).
   */
  public void shutdown(boolean stopPods) throws InterruptedException {
    List<PodWorker> all;
    synchronized (this) {
      closed = true;
      all = new ArrayList<>(workers.values());
      all.addAll(retiring);
      workers.clear();
      retiring.clear();
    }
    all.forEach(w -> w.terminate(stopPods));
    for (PodWorker w : all) {
      try {
        w.terminated().get();
      } catch (ExecutionException e) {
        LOG.warn("pod worker {} ended abnormally", w.pod().key(), e.getCause());
      }
    }
  }

  /** Detaches from all pods and leaves their containers running. */
  @Override
  public void close() {
    try {
      shutdown(false);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
