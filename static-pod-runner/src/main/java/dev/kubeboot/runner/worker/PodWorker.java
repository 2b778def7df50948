package dev.kubeboot.runner.worker;

import dev.kubeboot.runner.pod.Container;
import dev.kubeboot.runner.pod.StaticPod;
import dev.kubeboot.runner.runtime.ContainerHandle;
import dev.kubeboot.runner.runtime.ContainerStartException;
import dev.kubeboot.runner.status.ContainerState;
import dev.kubeboot.runner.status.ContainerStatus;
import dev.kubeboot.runner.status.PodCondition;
import dev.kubeboot.runner.status.PodPhase;
import dev.kubeboot.runner.status.PodStatus;
import java.time.Duration;
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

  /** How often a pod whose sandbox cannot be made tries again (the kubelet's pod resync). */
  static final Duration SANDBOX_RETRY = Duration.ofSeconds(10);

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
  private boolean sandboxReady;
  private ContainerStartException sandboxError;
  private Instant startTime;
  // When the runner saw this pod's file added or changed; for the sync latency.
  private final Instant seenAt;
  private boolean startReported;
  private Thread lifecycle;

  PodWorker(
      WorkerContext ctx,
      StaticPod pod,
      CompletableFuture<Void> predecessorGone,
      Map<String, ContainerHandle> adopted) {
    this.ctx = ctx;
    this.pod = pod;
    this.seenAt = ctx.clock().instant();
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
            Instant began = ctx.clock().instant();
            pod = sync.pod();
            if (begun) {
              ctx.metrics()
                  .podWorkerOperation("update", Duration.between(began, ctx.clock().instant()));
            } else {
              begun = true;
              lifecycle =
                  Thread.ofVirtual().name("pod-lifecycle-" + pod.key()).start(this::lifecycle);
            }
          }
          case Terminate t -> {
            Instant began = ctx.clock().instant();
            stopAll(t.stopContainers());
            if (t.stopContainers()) {
              ctx.metrics()
                  .podWorkerOperation("kill", Duration.between(began, ctx.clock().instant()));
            }
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
      if (!prepareSandbox(adoptedApps)) {
        return;
      }
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

  /**
   * Has the runtime make (or find) the pod's sandbox and network, retrying every {@link
   * #SANDBOX_RETRY} while it cannot; containers wait meanwhile with the runtime's reason. Adopted
   * containers already run in their sandbox: a failure there is logged and they are supervised
   * anyway.
   *
   * @return false when the pod is being stopped
   */
  private boolean prepareSandbox(boolean adoptedApps) throws InterruptedException {
    String lastMessage = "";
    while (true) {
      try {
        ctx.runtime().preparePod(pod);
        synchronized (lock) {
          sandboxError = null;
          sandboxReady = true;
        }
        publish();
        return true;
      } catch (ContainerStartException e) {
        if (!e.getMessage().equals(lastMessage)) {
          LOG.warn("pod {}: {}: {}", pod.key(), e.reason(), e.getMessage());
          lastMessage = e.getMessage();
        }
        if (adoptedApps) {
          return true;
        }
        synchronized (lock) {
          if (stopping) {
            return false;
          }
          sandboxError = e;
        }
        publish();
        ctx.sleeper().sleepUntil(ctx.clock().instant().plus(SANDBOX_RETRY));
      }
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
      ctx.metrics()
          .podRemoved(pod.key(), pod.spec().containers().stream().map(Container::name).toList());
      ctx.store().removePod(pod.key(), pod.uid());
    }
  }

  private void publish() {
    // Built and stored under one lock so that a slower thread never stores an older picture last.
    synchronized (lock) {
      if (!removed) {
        PodStatus status = buildStatus();
        ctx.store().putPod(status);
        reportStart(status);
      }
    }
  }

  private PodStatus buildStatus() {
    StaticPod p = pod;
    Instant now = ctx.clock().instant();
    List<ContainerStatus> inits = new ArrayList<>();
    for (Container c : p.spec().initContainers()) {
      ContainerSupervisor s = initSupervisors.get(c.name());
      inits.add(s != null ? s.status() : notStarted(c, "PodInitializing"));
    }
    List<ContainerStatus> apps = new ArrayList<>();
    for (Container c : p.spec().containers()) {
      ContainerSupervisor s = appSupervisors.get(c.name());
      apps.add(
          s != null
              ? s.status()
              : notStarted(c, initialized ? "ContainerCreating" : "PodInitializing"));
    }
    boolean containersReady =
        initialized && !apps.isEmpty() && apps.stream().allMatch(ContainerStatus::ready);
    condition(PodCondition.POD_SCHEDULED, true, now);
    condition(PodCondition.POD_READY_TO_START_CONTAINERS, sandboxReady, now);
    condition(PodCondition.INITIALIZED, initialized, now);
    condition(PodCondition.CONTAINERS_READY, containersReady, now);
    condition(PodCondition.READY, containersReady, now);
    List<String> podIPs =
        p.spec().hostNetwork() ? List.of(ctx.nodeIP()) : ctx.runtime().podIPs(p.uid());
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
        podIPs.isEmpty() ? "" : podIPs.get(0),
        podIPs);
  }

  /**
   * A container not started yet: waiting with {@code reason}, or with the sandbox's failure while
   * the pod has none.
   */
  private ContainerStatus notStarted(Container c, String reason) {
    ContainerStartException e = sandboxError;
    if (e == null) {
      return ContainerStatus.waiting(c.name(), c.image(), reason);
    }
    return new ContainerStatus(
        c.name(),
        new ContainerState.Waiting(e.reason(), e.getMessage()),
        Optional.empty(),
        false,
        false,
        0,
        c.image(),
        "");
  }

  /**
   * The first time every app container runs: how long the pod took from its worker starting (pod
   * start, the worker's create) and from the runner seeing its file (sync latency). A pod adopted
   * from an earlier runner was started by that one: not counted.
   */
  private void reportStart(PodStatus status) {
    if (startReported
        || startTime == null
        || status.containerStatuses().isEmpty()
        || !status.containerStatuses().stream()
            .allMatch(c -> c.state() instanceof ContainerState.Running)) {
      return;
    }
    startReported = true;
    if (!adopted.isEmpty()) {
      return;
    }
    Instant now = ctx.clock().instant();
    Duration took = Duration.between(startTime, now);
    ctx.metrics().podStarted(took);
    ctx.metrics().podWorkerOperation("create", took);
    ctx.metrics().synced(Duration.between(seenAt, now));
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
