package dev.kubeboot.runner.worker;

import dev.kubeboot.runner.pod.Container;
import dev.kubeboot.runner.pod.Probe;
import dev.kubeboot.runner.probe.ProbeResult;
import dev.kubeboot.runner.runtime.ContainerHandle;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one container's probes while it runs, each on its own virtual thread. A startup probe gates
 * liveness and readiness until it succeeds once. Probe times sit on a grid of {@code initialDelay +
 * n * period} from the container's start; a late probe skips the grid points already passed, like
 * the kubelet's ticker drops ticks.
 */
final class ProbeRunner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProbeRunner.class);

  /** What probes decide; called from probe threads. */
  interface Listener {
    void started();

    void readiness(boolean ready);

    /**
     * A liveness or startup probe failed past its threshold: kill with {@code grace}, then restart.
     */
    void kill(Duration grace, String message);
  }

  private enum Kind {
    STARTUP("Startup"),
    LIVENESS("Liveness"),
    READINESS("Readiness");

    final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  private final WorkerContext ctx;
  private final ContainerHandle handle;
  private final Container spec;
  private final Duration podGrace;
  private final Instant startedAt;
  private final Listener listener;
  private final CountDownLatch startupPassed = new CountDownLatch(1);
  private final List<Thread> threads = new ArrayList<>();

  ProbeRunner(
      WorkerContext ctx,
      ContainerHandle handle,
      Container spec,
      Duration podGrace,
      Instant startedAt,
      Listener listener) {
    this.ctx = ctx;
    this.handle = handle;
    this.spec = spec;
    this.podGrace = podGrace;
    this.startedAt = startedAt;
    this.listener = listener;
  }

  void start() {
    if (spec.startupProbe().isPresent()) {
      launch(Kind.STARTUP, spec.startupProbe().get());
    } else {
      passStartup();
    }
    spec.livenessProbe().ifPresent(p -> launch(Kind.LIVENESS, p));
    spec.readinessProbe().ifPresent(p -> launch(Kind.READINESS, p));
  }

  private void passStartup() {
    startupPassed.countDown();
    listener.started();
  }

  private void launch(Kind kind, Probe probe) {
    String name = "probe-" + handle.pod() + "/" + spec.name() + "-" + kind.label.toLowerCase();
    synchronized (threads) {
      threads.add(Thread.ofVirtual().name(name).start(() -> loop(kind, probe)));
    }
  }

  private void loop(Kind kind, Probe probe) {
    try {
      if (kind != Kind.STARTUP) {
        startupPassed.await();
      }
      Duration period = probe.timing().period();
      Instant next = startedAt.plus(probe.timing().initialDelay());
      int successes = 0;
      int failures = 0;
      while (true) {
        next = firstGridPointNotBefore(next, period, ctx.clock().instant());
        ctx.sleeper().sleepUntil(next);
        ProbeResult result = runOnce(probe);
        ctx.metrics().probed(kind.label, result.success(), handle.pod(), spec.name());
        if (result.success()) {
          successes++;
          failures = 0;
        } else {
          failures++;
          successes = 0;
          LOG.debug(
              "{} probe of {}/{} failed: {}",
              kind.label,
              handle.pod(),
              spec.name(),
              result.message());
        }
        switch (kind) {
          case STARTUP -> {
            if (result.success()) {
              passStartup();
              return;
            }
            if (failures >= probe.timing().failureThreshold()) {
              killFor(kind, probe, result);
              return;
            }
          }
          case LIVENESS -> {
            if (failures >= probe.timing().failureThreshold()) {
              killFor(kind, probe, result);
              return;
            }
          }
          case READINESS -> {
            if (successes >= probe.timing().successThreshold()) {
              listener.readiness(true);
            } else if (failures >= probe.timing().failureThreshold()) {
              listener.readiness(false);
            }
          }
        }
        next = next.plus(period);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void killFor(Kind kind, Probe probe, ProbeResult result) {
    String message =
        "Container "
            + spec.name()
            + " failed "
            + kind.label.toLowerCase()
            + " probe, will be restarted: "
            + result.message();
    LOG.info("{}: {}", handle.pod(), message);
    listener.kill(probe.terminationGracePeriod().orElse(podGrace), message);
  }

  private ProbeResult runOnce(Probe probe) throws InterruptedException {
    try {
      return ctx.prober().probe(probe.action(), handle, spec, probe.timing().timeout());
    } catch (RuntimeException e) {
      return ProbeResult.failure("probe error: " + e);
    }
  }

  static Instant firstGridPointNotBefore(Instant next, Duration period, Instant now) {
    if (!next.isBefore(now) || !period.isPositive()) {
      return next;
    }
    long behind = Duration.between(next, now).toNanos();
    long steps = (behind + period.toNanos() - 1) / period.toNanos();
    return next.plus(period.multipliedBy(steps));
  }

  @Override
  public void close() {
    List<Thread> all;
    synchronized (threads) {
      all = List.copyOf(threads);
    }
    all.forEach(Thread::interrupt);
    boolean interrupted = false;
    for (Thread t : all) {
      if (t == Thread.currentThread()) {
        continue;
      }
      while (true) {
        try {
          t.join();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
