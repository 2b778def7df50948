package dev.kubeboot.runner.runtime.cri;

import dev.kubeboot.runner.runtime.ExitStatus;
import dev.kubeboot.runner.runtime.cri.v1.Cri;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Completes the exits of watched containers, from the runtime's exit events ({@link ExitEvents})
 * and by polling. Polling is the safety net while an event stream is open ({@link #SAFETY_NET}),
 * and the only way otherwise (every {@code interval}): each tick one ListContainers call (our
 * ownership label) lists every owned container with its state; only the ones that are no longer
 * running cost a ContainerStatus call, for the exit code.
 *
 * <p>An exit event is confirmed through ContainerStatus before the watch completes, so the exit
 * code and reason (OOMKilled) are the runtime's own. containerd publishes a task's exit before its
 * CRI plugin has recorded it (the plugin first deletes the task), so a container still shown
 * running is asked again after 1, 2, 4, ... ms, then every 50 ms for up to 5 s (a loaded node's
 * task delete); past that the poll finds it.
 *
 * <p>While the runtime does not answer (restarting), ticks back off from the poll interval doubling
 * to 5 s, and each one asks the channel to reconnect at once; containers keep running meanwhile and
 * are found again when it answers.
 */
final class ExitPoller implements AutoCloseable, ExitEvents.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(ExitPoller.class);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

  /**
   * The poll interval while an exit event stream is open (or the configured one, if slower): for
   * what the stream could have missed.
   */
  static final Duration SAFETY_NET = Duration.ofSeconds(2);

  private static final Duration FIRST_RECHECK = Duration.ofMillis(1);
  private static final Duration MAX_RECHECK_PAUSE = Duration.ofMillis(50);
  private static final Duration RECHECK_FOR = Duration.ofSeconds(5);

  private final CriClient client;
  private final Duration interval;
  private final Clock clock;
  private final ConcurrentMap<String, CompletableFuture<ExitStatus>> watched =
      new ConcurrentHashMap<>();
  private final Thread thread;
  private final Semaphore wake = new Semaphore(0);
  private volatile boolean streaming;
  private volatile boolean closed;

  ExitPoller(CriClient client, Duration interval, Clock clock) {
    this.client = client;
    this.interval = interval;
    this.clock = clock;
    this.thread = Thread.ofVirtual().name("cri-exit-poller").unstarted(this::run);
  }

  void start() {
    thread.start();
  }

  /** The exit of a container, completed once the poller sees it exited (or gone). */
  CompletableFuture<ExitStatus> watch(String containerId) {
    return watched.computeIfAbsent(containerId, id -> new CompletableFuture<>());
  }

  void forget(String containerId) {
    watched.remove(containerId);
  }

  private void run() {
    Duration backoff = interval;
    boolean down = false;
    while (!closed) {
      try {
        Duration wait = down ? backoff : streaming ? safetyNet() : interval;
        if (wake.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS)) {
          wake.drainPermits();
        }
      } catch (InterruptedException e) {
        return;
      }
      if (watched.values().stream().allMatch(CompletableFuture::isDone)) {
        continue;
      }
      try {
        tick();
        if (down) {
          LOG.info("the container runtime at {} answers again", client.endpoint());
          down = false;
          backoff = interval;
        }
      } catch (StatusRuntimeException e) {
        if (!down) {
          LOG.warn(
              "cannot list containers at {} ({}); retrying with backoff up to {} s",
              client.endpoint(),
              CriClient.message(e),
              MAX_BACKOFF.toSeconds());
          down = true;
        } else {
          backoff =
              backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
                  ? MAX_BACKOFF
                  : backoff.multipliedBy(2);
        }
        client.reconnectNow();
      } catch (RuntimeException e) {
        LOG.warn("exit poll failed: {}", e.toString());
      }
    }
  }

  private void tick() {
    Cri.ListContainersResponse list =
        client
            .runtimeFailFast()
            .listContainers(
                Cri.ListContainersRequest.newBuilder()
                    .setFilter(
                        Cri.ContainerFilter.newBuilder()
                            .putLabelSelector(CriLabels.MANAGED, "true"))
                    .build());
    Map<String, Cri.ContainerState> states = new HashMap<>();
    for (Cri.Container c : list.getContainersList()) {
      states.put(c.getId(), c.getState());
    }
    watched.forEach(
        (id, exit) -> {
          if (!exit.isDone() && states.get(id) != Cri.ContainerState.CONTAINER_RUNNING) {
            finishIfExited(id, exit);
          }
        });
  }

  /** The slower of {@link #SAFETY_NET} and the configured interval. */
  private Duration safetyNet() {
    return interval.compareTo(SAFETY_NET) > 0 ? interval : SAFETY_NET;
  }

  @Override
  public void streaming(boolean open) {
    streaming = open;
    wake.release();
  }

  @Override
  public void exited(String containerId) {
    CompletableFuture<ExitStatus> exit = watched.get(containerId);
    if (exit == null || exit.isDone() || closed) {
      return;
    }
    Thread.ofVirtual().name("cri-exit-" + containerId).start(() -> confirm(containerId, exit));
  }

  /** Asks the runtime until it shows the container exited, or leaves it to the poll. */
  private void confirm(String containerId, CompletableFuture<ExitStatus> exit) {
    Duration pause = FIRST_RECHECK;
    long giveUp = System.nanoTime() + RECHECK_FOR.toNanos();
    while (!exit.isDone() && !closed) {
      try {
        finishIfExited(containerId, exit);
      } catch (StatusRuntimeException e) {
        LOG.debug("status of exited container {}: {}", containerId, CriClient.message(e));
        return;
      }
      if (exit.isDone() || System.nanoTime() - giveUp > 0) {
        return;
      }
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        return;
      }
      pause =
          pause.multipliedBy(2).compareTo(MAX_RECHECK_PAUSE) > 0
              ? MAX_RECHECK_PAUSE
              : pause.multipliedBy(2);
    }
  }

  /** Completes the watch of a container when the runtime says it is no longer running. */
  void checkNow(String containerId) {
    CompletableFuture<ExitStatus> exit = watched.get(containerId);
    if (exit != null && !exit.isDone()) {
      finishIfExited(containerId, exit);
    }
  }

  private void finishIfExited(String id, CompletableFuture<ExitStatus> exit) {
    Cri.ContainerStatus status;
    try {
      status =
          client
              .runtime()
              .containerStatus(Cri.ContainerStatusRequest.newBuilder().setContainerId(id).build())
              .getStatus();
    } catch (StatusRuntimeException e) {
      if (CriClient.is(e, Status.Code.NOT_FOUND)) {
        exit.complete(new ExitStatus(-1, "Unknown", clock.instant()));
        return;
      }
      throw e;
    }
    if (status.getState() == Cri.ContainerState.CONTAINER_RUNNING
        || status.getState() == Cri.ContainerState.CONTAINER_CREATED) {
      return;
    }
    ExitStatus result = exitOf(status, clock);
    if (exit.complete(result)) {
      LOG.debug("container {} exited: {}", id, result);
    }
  }

  static ExitStatus exitOf(Cri.ContainerStatus status, Clock clock) {
    Instant finishedAt =
        status.getFinishedAt() > 0 ? nanosToInstant(status.getFinishedAt()) : clock.instant();
    if (status.getState() == Cri.ContainerState.CONTAINER_UNKNOWN) {
      return new ExitStatus(-1, "Unknown", finishedAt);
    }
    if ("OOMKilled".equals(status.getReason())) {
      return new ExitStatus(status.getExitCode(), "OOMKilled", finishedAt);
    }
    return ExitStatus.of(status.getExitCode(), finishedAt);
  }

  static Instant nanosToInstant(long nanos) {
    return Instant.ofEpochSecond(nanos / 1_000_000_000L, nanos % 1_000_000_000L);
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
  }
}
