package dev.kubeboot.runner.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import java.io.Closeable;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows Docker's event stream for {@code die} events of containers carrying our ownership label.
 *
 * <p>The stream is the only exit signal (no polling). When it ends or fails, it is opened again
 * with backoff (100 ms doubling to 5 s) with {@code since} set to the last event seen, so the
 * engine replays what happened meanwhile; after every (re)connect {@code reconcile} runs, which
 * inspects the containers still believed running, for exits older than the engine's event buffer.
 */
final class ExitWatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ExitWatcher.class);
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

  /** A connection that lived this long resets the backoff. */
  private static final Duration HEALTHY = Duration.ofSeconds(10);

  private final DockerClient client;
  private final Consumer<String> onDie;
  private final Runnable reconcile;
  private final Clock clock;
  private final CountDownLatch firstConnect = new CountDownLatch(1);
  private final AtomicReference<Session> current = new AtomicReference<>();
  private volatile boolean closed;

  /** The newest event time seen, in nanoseconds since the epoch; where a reconnect resumes. */
  private volatile long resumeNanos;

  private Thread thread;

  /**
   * @param onDie called with the container id of every die event, on the stream's thread: keep it
   *     short
   * @param reconcile called after each (re)connect, on the watcher's thread
   */
  ExitWatcher(DockerClient client, Consumer<String> onDie, Runnable reconcile, Clock clock) {
    this.client = client;
    this.onDie = onDie;
    this.reconcile = reconcile;
    this.clock = clock;
  }

  /** Starts following; returns once the stream is open or {@code timeout} has passed. */
  boolean start(Duration timeout) throws InterruptedException {
    // A second back, so a container that died while the stream was being opened is replayed.
    resumeNanos = toNanos(clock.instant().minusSeconds(1));
    thread = Thread.ofVirtual().name("docker-events").start(this::run);
    return firstConnect.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  private void run() {
    Duration backoff = FIRST_BACKOFF;
    while (!closed) {
      Instant opened = clock.instant();
      Session session = new Session();
      current.set(session);
      if (closed) {
        return;
      }
      try {
        client
            .eventsCmd()
            .withEventTypeFilter(EventType.CONTAINER)
            .withEventFilter("die")
            .withLabelFilter(Map.of(DockerLabels.MANAGED, "true"))
            .withSince(since(resumeNanos))
            .exec(session);
        session.awaitCompletion();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        session.failure = e;
      }
      if (closed) {
        return;
      }
      if (Duration.between(opened, clock.instant()).compareTo(HEALTHY) > 0) {
        backoff = FIRST_BACKOFF;
      }
      LOG.warn(
          "docker event stream ended ({}); reconnecting in {} ms",
          session.failure == null ? "closed by the engine" : session.failure.toString(),
          backoff.toMillis());
      try {
        Thread.sleep(backoff);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      backoff =
          backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
              ? MAX_BACKOFF
              : backoff.multipliedBy(2);
    }
  }

  private final class Session extends ResultCallback.Adapter<Event> {
    private volatile Throwable failure;

    @Override
    public void onStart(Closeable closeable) {
      super.onStart(closeable);
      firstConnect.countDown();
      Thread.ofVirtual().name("docker-events-reconcile").start(reconcile);
    }

    @Override
    public void onNext(Event event) {
      if (event.getTimeNano() != null) {
        resumeNanos = Math.max(resumeNanos, event.getTimeNano());
      }
      String id = event.getActor() != null ? event.getActor().getId() : event.getId();
      if (id != null) {
        onDie.accept(id);
      }
    }

    @Override
    public void onError(Throwable throwable) {
      // Logged once by the reconnect loop, without the callback template's stack trace.
      failure = throwable;
      try {
        close();
      } catch (IOException e) {
        LOG.debug("closing the docker event stream: {}", e.getMessage());
      }
    }
  }

  private static long toNanos(Instant instant) {
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }

  /** Docker's {@code since} accepts "seconds.nanoseconds". */
  static String since(long epochNanos) {
    return String.format("%d.%09d", epochNanos / 1_000_000_000L, epochNanos % 1_000_000_000L);
  }

  @Override
  public void close() {
    closed = true;
    Session s = current.getAndSet(null);
    if (s != null) {
      try {
        s.close();
      } catch (IOException e) {
        LOG.debug("closing the docker event stream: {}", e.getMessage());
      }
    }
    if (thread != null) {
      thread.interrupt();
    }
  }
}
