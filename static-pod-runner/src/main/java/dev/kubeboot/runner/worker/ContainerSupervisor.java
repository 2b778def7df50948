package dev.kubeboot.runner.worker;

import dev.kubeboot.runner.metrics.RunnerMetrics;
import dev.kubeboot.runner.pod.Container;
import dev.kubeboot.runner.pod.ProbeAction;
import dev.kubeboot.runner.pod.RestartPolicy;
import dev.kubeboot.runner.pod.StaticPod;
import dev.kubeboot.runner.probe.ProbeResult;
import dev.kubeboot.runner.runtime.ContainerHandle;
import dev.kubeboot.runner.runtime.ContainerStartException;
import dev.kubeboot.runner.runtime.ExecResult;
import dev.kubeboot.runner.runtime.ExitStatus;
import dev.kubeboot.runner.status.ContainerState;
import dev.kubeboot.runner.status.ContainerStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one container of a pod going on its own virtual thread: start, watch for exit and probe
 * verdicts, restart through {@link CrashBackoff} as the restart policy says. An init container runs
 * until it exits 0 (or fails for good under {@code restartPolicy: Never}).
 *
 * <p>States: starting -> running -> (exited | killed by a probe) -> backing off -> starting ... ->
 * done. {@link #requestStop} ends it from any state: a running container is stopped (preStop hook,
 * then stop signal, SIGKILL after the grace period) or, when detaching, left running for the next
 * runner to adopt. {@link #requestRestart} stops a running container with the pod's grace period;
 * what follows is what follows a crash: the next start waits for the crash backoff and feeds it, so
 * requests, however many, can never restart a container faster than crashes would (nor reset its
 * backoff). A request while the container is stopping or backing off changes nothing: the coming
 * start reads the current files anyway.
 */
final class ContainerSupervisor {
  private static final Logger LOG = LoggerFactory.getLogger(ContainerSupervisor.class);
  static final Duration MIN_GRACE = Duration.ofSeconds(2);

  private enum Phase {
    BUSY,
    SLEEPING
  }

  private record StopRequest(boolean stopContainer) {}

  private final WorkerContext ctx;
  private final StaticPod pod;
  private final Container spec;
  private final boolean init;
  private final Runnable onChange;
  private final CrashBackoff.Key backoffKey;
  private final ReentrantLock lock = new ReentrantLock();
  private final CompletableFuture<StopRequest> stopSignal = new CompletableFuture<>();
  private final CompletableFuture<Boolean> completed = new CompletableFuture<>();
  private final CompletableFuture<Void> ended = new CompletableFuture<>();
  // Guarded by lock; completed by a restart request, replaced once the request is acted on.
  private CompletableFuture<Void> restartSignal = new CompletableFuture<>();
  private ContainerHandle adopted;
  private Phase phase = Phase.BUSY;
  private Thread thread;
  private volatile ContainerStatus status;
  private volatile boolean finished;
  private volatile boolean started;
  private volatile boolean ready;

  private record ProbeKill(Duration grace, String message) {}

  ContainerSupervisor(
      WorkerContext ctx,
      StaticPod pod,
      Container spec,
      boolean init,
      ContainerHandle adopted,
      Runnable onChange) {
    this.ctx = ctx;
    this.pod = pod;
    this.spec = spec;
    this.init = init;
    this.adopted = adopted;
    this.onChange = onChange;
    this.backoffKey = new CrashBackoff.Key(pod.uid(), spec.name(), spec.image());
    this.status = ContainerStatus.waiting(spec.name(), spec.image(), "ContainerCreating");
  }

  void start() {
    thread =
        Thread.ofVirtual()
            .name("container-" + pod.key() + "/" + spec.name())
            .start(this::runGuarded);
  }

  ContainerStatus status() {
    return status;
  }

  /** True once the container has ended for good (no more restarts). */
  boolean finished() {
    return finished;
  }

  /**
   * Completes with true when an init container succeeded, false when it failed for good or was
   * stopped.
   */
  CompletableFuture<Boolean> completed() {
    return completed;
  }

  /**
   * Ends supervision. With {@code stopContainer} the running container is stopped; without, it is
   * left running (a runner restart).
   */
  void requestStop(boolean stopContainer) {
    lock.lock();
    try {
      stopSignal.complete(new StopRequest(stopContainer));
      if (phase == Phase.SLEEPING) {
        thread.interrupt();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Asks for the container to be stopped gracefully and started again after the crash backoff. A
   * request made while the container is starting restarts it once it runs (it may have read old
   * files); one made while it is stopped or backing off is met by the coming start.
   *
   * @return false when supervision is stopping or the container has ended for good
   */
  boolean requestRestart() {
    lock.lock();
    try {
      if (stopping() || finished || ended.isDone()) {
        return false;
      }
      restartSignal.complete(null);
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Drops requests made before a start: the container about to start reads the current files. */
  private void forgetRestartRequests() {
    lock.lock();
    try {
      if (restartSignal.isDone()) {
        restartSignal = new CompletableFuture<>();
      }
    } finally {
      lock.unlock();
    }
  }

  private CompletableFuture<Void> currentRestartSignal() {
    lock.lock();
    try {
      return restartSignal;
    } finally {
      lock.unlock();
    }
  }

  /** Consumes a pending restart request; true when there was one. */
  private boolean takeRestartRequest() {
    lock.lock();
    try {
      if (!restartSignal.isDone()) {
        return false;
      }
      restartSignal = new CompletableFuture<>();
      return true;
    } finally {
      lock.unlock();
    }
  }

  void awaitEnded() throws InterruptedException {
    try {
      ended.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  private boolean stopping() {
    return stopSignal.isDone();
  }

  private void runGuarded() {
    try {
      run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.error("supervising {}/{} failed", pod.key(), spec.name(), e);
      update(new ContainerState.Waiting("RunContainerError", e.toString()));
    } finally {
      completed.complete(false);
      ended.complete(null);
    }
  }

  private void run() throws InterruptedException {
    int restartCount = adopted != null ? adopted.attempt() : 0;
    Optional<ContainerState.Terminated> lastState = Optional.empty();
    while (true) {
      ContainerHandle handle;
      if (adopted != null) {
        handle = adopted;
        adopted = null;
        // Before any probe or hook execs in it: exec runs as the spec says, not as the process
        // that has been running meanwhile might say.
        ctx.runtime().resume(handle, pod, spec);
        LOG.info(
            "adopted {}/{} ({}), restartCount {}",
            pod.key(),
            spec.name(),
            handle.id(),
            restartCount);
      } else {
        if (stopping()) {
          return;
        }
        forgetRestartRequests();
        try {
          handle = ctx.runtime().start(pod, spec, restartCount);
          ctx.metrics().containerStarted(containerType());
          ctx.metrics().backoff(pod.key(), spec.name(), Duration.ZERO);
        } catch (ContainerStartException e) {
          LOG.warn("{}/{}: {}: {}", pod.key(), spec.name(), e.reason(), e.getMessage());
          ctx.metrics().containerStartFailed(containerType(), e.reason());
          status =
              withState(
                  new ContainerState.Waiting(e.reason(), nullToEmpty(e.getMessage())),
                  restartCount,
                  lastState,
                  "");
          onChange.run();
          Instant now = ctx.clock().instant();
          Instant at = ctx.backoff().restartAt(backoffKey, now);
          ctx.metrics().backoff(pod.key(), spec.name(), positive(Duration.between(now, at)));
          if (at.isAfter(now)) {
            ContainerState.Waiting waiting =
                "ErrImagePull".equals(e.reason())
                    ? new ContainerState.Waiting(
                        "ImagePullBackOff", "Back-off pulling image \"" + spec.image() + "\"")
                    : new ContainerState.Waiting(e.reason(), nullToEmpty(e.getMessage()));
            status = withState(waiting, restartCount, lastState, "");
            onChange.run();
          }
          if (!sleepUntil(at)) {
            return;
          }
          continue;
        }
        if (stopping()) {
          finish(handle, stopSignal.join(), restartCount, lastState);
          return;
        }
      }
      String containerId = ctx.runtime().name() + "://" + handle.id();
      started = false;
      ready = false;
      status =
          withState(
              new ContainerState.Running(handle.startedAt()), restartCount, lastState, containerId);
      onChange.run();
      Ended outcome = superviseRunning(handle, restartCount, lastState, containerId);
      if (outcome == null) {
        return;
      }
      ExitStatus exit = outcome.exit();
      ContainerState.Terminated terminated =
          new ContainerState.Terminated(
              exit.exitCode(), exit.reason(), handle.startedAt(), exit.finishedAt());
      boolean restart =
          outcome.requested()
              || (init
                  ? exit.exitCode() != 0 && pod.spec().restartPolicy() != RestartPolicy.NEVER
                  : pod.spec().restartPolicy().restarts(exit.exitCode()));
      LOG.info(
          "{}/{} {} with code {} ({}){}",
          pod.key(),
          spec.name(),
          outcome.requested() ? "stopped on request" : "exited",
          exit.exitCode(),
          exit.reason(),
          restart ? "" : ", not restarting");
      if (!restart) {
        status = withState(terminated, restartCount, lastState, containerId);
        finished = true;
        onChange.run();
        completed.complete(exit.exitCode() == 0);
        return;
      }
      lastState = Optional.of(terminated);
      Instant at = ctx.backoff().restartAt(backoffKey, exit.finishedAt());
      Duration delay = Duration.between(exit.finishedAt(), at);
      ctx.metrics().backoff(pod.key(), spec.name(), positive(delay));
      if (delay.isPositive()) {
        status =
            withState(
                new ContainerState.Waiting(
                    "CrashLoopBackOff",
                    "back-off "
                        + CrashBackoff.goFormat(delay)
                        + " restarting failed container="
                        + spec.name()
                        + " pod="
                        + pod.key().name()
                        + "_"
                        + pod.key().namespace()
                        + "("
                        + pod.uid()
                        + ")"),
                restartCount,
                lastState,
                containerId);
      } else {
        status = withState(terminated, restartCount, Optional.empty(), containerId);
      }
      onChange.run();
      if (!sleepUntil(at)) {
        return;
      }
      restartCount++;
      ctx.metrics().containerRestarted(pod.key(), spec.name());
    }
  }

  private RunnerMetrics.ContainerType containerType() {
    return init
        ? RunnerMetrics.ContainerType.INIT_CONTAINER
        : RunnerMetrics.ContainerType.CONTAINER;
  }

  private static Duration positive(Duration d) {
    return d.isNegative() ? Duration.ZERO : d;
  }

  /** How a running container ended; {@code requested} when a restart request stopped it. */
  private record Ended(ExitStatus exit, boolean requested) {}

  /** Returns the exit to act on, or null when supervision ended by a stop request. */
  private Ended superviseRunning(
      ContainerHandle handle,
      int restartCount,
      Optional<ContainerState.Terminated> lastState,
      String containerId)
      throws InterruptedException {
    CompletableFuture<ExitStatus> exit = ctx.runtime().onExit(handle).toCompletableFuture();
    CompletableFuture<ProbeKill> kill = new CompletableFuture<>();
    CompletableFuture<Void> restart = currentRestartSignal();
    ProbeRunner probes =
        new ProbeRunner(
            ctx,
            handle,
            spec,
            pod.spec().terminationGracePeriod(),
            handle.startedAt(),
            new ProbeRunner.Listener() {
              @Override
              public void started() {
                started = true;
                if (spec.readinessProbe().isEmpty()) {
                  ready = true;
                }
                refresh();
              }

              @Override
              public void readiness(boolean isReady) {
                if (ready != isReady) {
                  ready = isReady;
                  refresh();
                }
              }

              @Override
              public void kill(Duration grace, String message) {
                kill.complete(new ProbeKill(grace, message));
              }
            });
    if (!init) {
      probes.start();
    }
    try {
      CompletableFuture.anyOf(exit, stopSignal, kill, restart).get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("waiting for " + pod.key() + "/" + spec.name(), e.getCause());
    } finally {
      probes.close();
    }
    started = false;
    ready = false;
    if (exit.isDone() && !restart.isDone()) {
      return new Ended(exit.join(), false);
    }
    if (stopSignal.isDone()) {
      finish(handle, stopSignal.join(), restartCount, lastState);
      return null;
    }
    if (takeRestartRequest()) {
      if (!exit.isDone()) {
        stopContainer(handle, pod.spec().terminationGracePeriod());
      }
      return new Ended(awaitExit(exit), true);
    }
    ProbeKill k = kill.join();
    status = withState(status.state(), restartCount, lastState, containerId);
    onChange.run();
    stopContainer(handle, k.grace());
    return new Ended(awaitExit(exit), false);
  }

  private void finish(
      ContainerHandle handle,
      StopRequest request,
      int restartCount,
      Optional<ContainerState.Terminated> lastState)
      throws InterruptedException {
    if (!request.stopContainer()) {
      return;
    }
    stopContainer(handle, pod.spec().terminationGracePeriod());
    ExitStatus exit = awaitExit(ctx.runtime().onExit(handle).toCompletableFuture());
    status =
        withState(
            new ContainerState.Terminated(
                exit.exitCode(), exit.reason(), handle.startedAt(), exit.finishedAt()),
            restartCount,
            lastState,
            ctx.runtime().name() + "://" + handle.id());
    finished = true;
    onChange.run();
  }

  private static ExitStatus awaitExit(CompletableFuture<ExitStatus> exit)
      throws InterruptedException {
    try {
      return exit.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("runtime lost track of a container", e.getCause());
    }
  }

  /**
   * preStop hook within the grace period, then the stop signal with what is left (at least 2 s).
   */
  private void stopContainer(ContainerHandle handle, Duration grace) throws InterruptedException {
    Instant begin = ctx.clock().instant();
    if (spec.preStop().isPresent()) {
      runPreStop(handle, spec.preStop().get(), grace);
    }
    Duration left = grace.minus(Duration.between(begin, ctx.clock().instant()));
    ctx.runtime().stop(handle, left.compareTo(MIN_GRACE) < 0 ? MIN_GRACE : left);
  }

  private void runPreStop(ContainerHandle handle, ProbeAction hook, Duration grace)
      throws InterruptedException {
    try {
      switch (hook) {
        case ProbeAction.Exec exec -> {
          ExecResult r = ctx.runtime().exec(handle, exec.command(), grace);
          if (r.exitCode() != 0 || r.timedOut()) {
            LOG.warn(
                "{}/{}: preStop exec {} failed (exit {}): {}",
                pod.key(),
                spec.name(),
                exec.command(),
                r.exitCode(),
                r.output());
          }
        }
        case ProbeAction.Sleep sleep ->
            ctx.sleeper().sleepUntil(ctx.clock().instant().plus(min(sleep.duration(), grace)));
        default -> {
          ProbeResult r = ctx.prober().probe(hook, handle, spec, grace);
          if (!r.success()) {
            LOG.warn("{}/{}: preStop hook failed: {}", pod.key(), spec.name(), r.message());
          }
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("{}/{}: preStop hook failed", pod.key(), spec.name(), e);
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /**
   * Waits for a backoff deadline; false when a stop request cut it short. Restart requests do not
   * shorten it: the backoff is what keeps them from holding a container down.
   */
  private boolean sleepUntil(Instant deadline) throws InterruptedException {
    lock.lock();
    try {
      if (stopping()) {
        return false;
      }
      phase = Phase.SLEEPING;
    } finally {
      lock.unlock();
    }
    try {
      ctx.sleeper().sleepUntil(deadline);
    } catch (InterruptedException e) {
      // A stop request interrupts the sleep; anything else is a real interrupt.
      if (!stopping()) {
        throw e;
      }
    } finally {
      lock.lock();
      try {
        phase = Phase.BUSY;
        if (stopping()) {
          Thread.interrupted();
        }
      } finally {
        lock.unlock();
      }
    }
    return !stopping();
  }

  private void refresh() {
    ContainerStatus s = status;
    status =
        new ContainerStatus(
            s.name(),
            s.state(),
            s.lastState(),
            ready,
            started,
            s.restartCount(),
            s.image(),
            s.containerID());
    onChange.run();
  }

  private void update(ContainerState state) {
    ContainerStatus s = status;
    status =
        new ContainerStatus(
            s.name(),
            state,
            s.lastState(),
            false,
            false,
            s.restartCount(),
            s.image(),
            s.containerID());
    onChange.run();
  }

  private ContainerStatus withState(
      ContainerState state,
      int restartCount,
      Optional<ContainerState.Terminated> lastState,
      String containerId) {
    boolean running = state instanceof ContainerState.Running;
    return new ContainerStatus(
        spec.name(),
        state,
        lastState,
        running && ready,
        running && started,
        restartCount,
        spec.image(),
        containerId);
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
