package dev.kubeboot.runner.worker;

import dev.kubeboot.runner.pod.Container;
import dev.kubeboot.runner.pod.StaticPod;
import dev.kubeboot.runner.runtime.ContainerHandle;
import dev.kubeboot.runner.status.ContainerState;
import dev.kubeboot.runner.status.ContainerStatus;
import dev.kubeboot.runner.status.PodCondition;
import dev.kubeboot.runner.status.PodPhase;
import dev.kubeboot.runner.status.PodStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns one pod (one uid) on a virtual thread fed by a one-slot mailbox. It waits until its
 * predecessor under the same key is gone, runs the init containers in order, then supervises the
 * app containers in parallel, and publishes the pod's status on every change.
 *
 * <p>Lifecycle: waiting for predecessor -> initializing -> running -> terminating -> terminated
 * ({@link #terminated()} completes). A terminate request is sticky: no later update replaces it.
 *
 * <p>A restart request ({@link #restart}) bypasses the mailbox, so it can neither replace a pending
 * update nor a pending terminate; once a terminate is requested, restarts are refused.
 */
final class PodWorker {
  private static final Logger LOG = LoggerFactory.getLogger(PodWorker.class);

  sealed interface Work {}

  record Sync(StaticPod pod) implements Work {}

  /**
   * @param stopContainers false when the runner itself stops and leaves the pod running
   */
  record Terminate(boolean stopContainers) implements Work {}

  private final WorkerContext ctx;
  private final CompletableFuture<Void> predecessorGone;
  private final Map<String, ContainerHandle> adopted;
  private final Mailbox<Work> mailbox = new Mailbox<>(w -> w instanceof Terminate);
  private final CompletableFuture<Void> terminated = new CompletableFuture<>();
  private final Object lock = new Object();
  private final Map<String, ContainerSupervisor> initSupervisors = new LinkedHashMap<>();
  private final Map<String, ContainerSupervisor> appSupervisors = new LinkedHashMap<>();
  private final Map<String, PodCondition> conditions = new LinkedHashMap<>();
  private volatile StaticPod pod;
  private volatile boolean terminateRequested;
  private boolean stopping;
  private boolean initialized;
  private boolean initFailed;
  private boolean removed;
  private Instant startTime;
  private Thread lifecycle;

  PodWorker(
      WorkerContext ctx,
      StaticPod pod,
      CompletableFuture<Void> predecessorGone,
      Map<String, ContainerHandle> adopted) {
    this.ctx = ctx;
    this.pod = pod;
    this.predecessorGone = predecessorGone;
    this.adopted = Map.copyOf(adopted);
    mailbox.offer(new Sync(pod));
  }

  void start() {
    Thread.ofVirtual().name("pod-worker-" + pod.key()).start(this::loop);
  }

  StaticPod pod() {
    return pod;
  }

  void update(StaticPod newer) {
    mailbox.offer(new Sync(newer));
  }

  void terminate(boolean stopContainers) {
    terminateRequested = true;
    mailbox.offer(new Terminate(stopContainers));
  }

  /**
   * Restarts every running app container as a crash would, crash backoff included. Containers not
   * started yet (the pod is initializing) or backing off start fresh anyway; init containers run to
   * completion as they are.
   *
   * @return false when the pod is being terminated
   */
  boolean restart() {
    synchronized (lock) {
      if (terminateRequested || stopping) {
        return false;
      }
      LOG.info("restart of pod {} ({}) requested", pod.key(), pod.uid());
      appSupervisors.values().forEach(ContainerSupervisor::requestRestart);
      return true;
    }
  }

  /**
   * Completes once every container of this pod has stopped (or was left running, when detached).
   */
  CompletableFuture<Void> terminated() {
    return terminated;
  }

  private void loop() {
    try {
      predecessorGone.exceptionally(e -> null).get();
      boolean begun = false;
      while (true) {
        Work work = mailbox.take();
        switch (work) {
          case Sync sync -> {
            pod = sync.pod();
            if (!begun) {
              begun = true;
              lifecycle =
                  Thread.ofVirtual().name("pod-lifecycle-" + pod.key()).start(this::lifecycle);
            }
          }
          case Terminate t -> {
            stopAll(t.stopContainers());
            return;
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    } catch (RuntimeException e) {
      LOG.error("pod worker {} failed", pod.key(), e);
    } finally {
      terminated.complete(null);
    }
  }

  private void lifecycle() {
    try {
      synchronized (lock) {
        startTime = ctx.clock().instant();
      }
      publish();
      boolean adoptedApps =
          pod.spec().containers().stream().anyMatch(c -> adopted.containsKey(c.name()));
      if (!adoptedApps) {
        for (Container init : pod.spec().initContainers()) {
          ContainerSupervisor s = launch(init, true, initSupervisors);
          if (s == null) {
            return;
          }
          if (!s.completed().get()) {
            synchronized (lock) {
              initFailed = !stopping;
            }
            publish();
            return;
          }
        }
      }
      synchronized (lock) {
        initialized = true;
      }
      for (Container c : pod.spec().containers()) {
        if (launch(c, false, appSupervisors) == null) {
          return;
        }
      }
      publish();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      LOG.error("pod {}: init container supervision failed", pod.key(), e.getCause());
    }
  }

  private ContainerSupervisor launch(
      Container c, boolean init, Map<String, ContainerSupervisor> into) {
    synchronized (lock) {
      if (stopping) {
        return null;
      }
      ContainerSupervisor s =
          new ContainerSupervisor(
              ctx, pod, c, init, init ? null : adopted.get(c.name()), this::publish);
      into.put(c.name(), s);
      s.start();
      return s;
    }
  }

  private void stopAll(boolean stopContainers) throws InterruptedException {
    List<ContainerSupervisor> all;
    synchronized (lock) {
      stopping = true;
      all = new ArrayList<>(initSupervisors.values());
      all.addAll(appSupervisors.values());
    }
    if (lifecycle != null) {
      lifecycle.interrupt();
      lifecycle.join();
    }
    LOG.info(
        "{} pod {} ({})", stopContainers ? "stopping" : "detaching from", pod.key(), pod.uid());
    all.forEach(s -> s.requestStop(stopContainers));
    for (ContainerSupervisor s : all) {
      s.awaitEnded();
    }
    if (stopContainers) {
      synchronized (lock) {
        removed = true;
      }
      ctx.runtime().removePod(pod.key(), pod.uid());
      ctx.backoff().forget(pod.uid());
      ctx.store().removePod(pod.key(), pod.uid());
    }
  }

  private void publish() {
    // Built and stored under one lock so that a slower thread never stores an older picture last.
    synchronized (lock) {
      if (!removed) {
        ctx.store().putPod(buildStatus());
      }
    }
  }

  private PodStatus buildStatus() {
    StaticPod p = pod;
    Instant now = ctx.clock().instant();
    List<ContainerStatus> inits = new ArrayList<>();
    for (Container c : p.spec().initContainers()) {
      ContainerSupervisor s = initSupervisors.get(c.name());
      inits.add(
          s != null ? s.status() : ContainerStatus.waiting(c.name(), c.image(), "PodInitializing"));
    }
    List<ContainerStatus> apps = new ArrayList<>();
    for (Container c : p.spec().containers()) {
      ContainerSupervisor s = appSupervisors.get(c.name());
      apps.add(
          s != null
              ? s.status()
              : ContainerStatus.waiting(
                  c.name(), c.image(), initialized ? "ContainerCreating" : "PodInitializing"));
    }
    boolean containersReady =
        initialized && !apps.isEmpty() && apps.stream().allMatch(ContainerStatus::ready);
    condition(PodCondition.POD_SCHEDULED, true, now);
    condition(PodCondition.INITIALIZED, initialized, now);
    condition(PodCondition.CONTAINERS_READY, containersReady, now);
    condition(PodCondition.READY, containersReady, now);
    String podIP = p.spec().hostNetwork() ? ctx.nodeIP() : "";
    return new PodStatus(
        p.key(),
        p.uid(),
        p.source().toString(),
        phase(apps),
        List.copyOf(conditions.values()),
        inits,
        apps,
        Optional.ofNullable(startTime),
        ctx.nodeIP(),
        podIP);
  }

  private void condition(String type, boolean value, Instant now) {
    PodCondition existing = conditions.get(type);
    if (existing == null || existing.status() != value) {
      conditions.put(type, new PodCondition(type, value, now));
    }
  }

  /** The kubelet's phase rules, reduced to what a static pod can be in. */
  private PodPhase phase(List<ContainerStatus> apps) {
    if (initFailed) {
      return PodPhase.FAILED;
    }
    if (!initialized) {
      return PodPhase.PENDING;
    }
    boolean anyRunning = apps.stream().anyMatch(c -> c.state() instanceof ContainerState.Running);
    boolean allFinished =
        !appSupervisors.isEmpty()
            && appSupervisors.size() == apps.size()
            && appSupervisors.values().stream().allMatch(ContainerSupervisor::finished);
    if (allFinished && !stopping) {
      boolean anyFailed =
          apps.stream()
              .anyMatch(c -> c.state() instanceof ContainerState.Terminated t && t.exitCode() != 0);
      return anyFailed ? PodPhase.FAILED : PodPhase.SUCCEEDED;
    }
    if (anyRunning) {
      return PodPhase.RUNNING;
    }
    boolean everRan =
        apps.stream()
            .anyMatch(
                c -> c.lastState().isPresent() || c.state() instanceof ContainerState.Terminated);
    return everRan ? PodPhase.RUNNING : PodPhase.PENDING;
  }
}
