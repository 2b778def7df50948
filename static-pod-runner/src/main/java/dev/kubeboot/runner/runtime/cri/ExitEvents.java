package dev.kubeboot.runner.runtime.cri;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.kubeboot.runner.runtime.cri.containerd.ContainerdEvents;
import dev.kubeboot.runner.runtime.cri.containerd.TaskEvents;
import dev.kubeboot.runner.runtime.cri.v1.Cri;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the runtime's own exit events, so an exited container is seen as it exits rather than at
 * the next poll: the CRI's GetContainerEvents where the runtime serves it (containerd 1.7 and
 * later, CRI-O 1.26 and later), else containerd's own event service on the same socket (topic
 * {@code /tasks/exit} in the CRI's namespace {@code k8s.io}; containerd 1.6 has no CRI event
 * stream). Where neither answers, exits are left to the {@link ExitPoller}.
 *
 * <p>Each exit is passed on as a container id, which the poller then confirms through the CRI
 * (ContainerStatus), so the exit code and reason are the runtime's and never guessed from the
 * event. While a stream is open the poller slows to a safety net; when it fails the poller goes
 * back to its normal interval, and the stream is opened again with backoff (100 ms doubling to 5
 * s), each time followed by one poll for what happened meanwhile.
 */
final class ExitEvents implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ExitEvents.class);

  /** The containerd namespace the CRI plugin keeps its containers in. */
  static final String CONTAINERD_NAMESPACE = "k8s.io";

  static final String TASK_EXIT_TOPIC = "/tasks/exit";
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

  /** A stream that lived this long resets the backoff. */
  private static final Duration HEALTHY = Duration.ofSeconds(10);

  /** Where exits come from. */
  enum Source {
    /** The CRI's own GetContainerEvents. */
    CRI,
    /** containerd's event service, topic {@code /tasks/exit}. */
    CONTAINERD,
    /** Neither: the poller alone. */
    NONE
  }

  /** What the stream tells the poller. */
  interface Listener {
    /** The container (by id) has exited, as far as the event says. */
    void exited(String containerId);

    /**
     * A stream is open ({@code true}: the poller may slow down; it should look once now for what
     * happened while none was) or has failed ({@code false}: poll at the normal interval).
     */
    void streaming(boolean open);
  }

  private final CriClient client;
  private final Listener listener;
  private final Clock clock;
  private final Thread thread;
  private volatile Source source = Source.CRI;
  private volatile Context.CancellableContext call;
  private volatile boolean closed;

  ExitEvents(CriClient client, Listener listener, Clock clock) {
    this.client = client;
    this.listener = listener;
    this.clock = clock;
    this.thread = Thread.ofVirtual().name("cri-exit-events").unstarted(this::run);
  }

  void start() {
    thread.start();
  }

  /** The source in use, or the one being tried next. */
  Source source() {
    return source;
  }

  private void run() {
    Duration backoff = FIRST_BACKOFF;
    while (!closed && source != Source.NONE) {
      Instant opened = clock.instant();
      Context.CancellableContext context = Context.current().withCancellation();
      call = context;
      Context previous = context.attach();
      try {
        if (source == Source.CRI) {
          followCri();
        } else {
          followContainerd();
        }
        if (closed) {
          return;
        }
        LOG.warn("the {} exit event stream was closed by the runtime; reopening it", source);
      } catch (StatusRuntimeException e) {
        if (closed) {
          return;
        }
        if (CriClient.is(e, Status.Code.UNIMPLEMENTED)) {
          source = source == Source.CRI ? Source.CONTAINERD : Source.NONE;
          if (source == Source.NONE) {
            LOG.info(
                "the runtime at {} serves neither CRI container events nor containerd's event"
                    + " service; exits are found by polling",
                client.endpoint());
          }
          listener.streaming(false);
          continue;
        }
        LOG.warn(
            "the {} exit event stream at {} failed ({}); reopening it in {} ms",
            source,
            client.endpoint(),
            CriClient.message(e),
            backoff.toMillis());
      } catch (RuntimeException e) {
        LOG.warn("the {} exit event stream failed: {}", source, e.toString());
      } finally {
        context.detach(previous);
        context.cancel(null);
      }
      listener.streaming(false);
      if (Duration.between(opened, clock.instant()).compareTo(HEALTHY) > 0) {
        backoff = FIRST_BACKOFF;
      }
      try {
        Thread.sleep(backoff);
      } catch (InterruptedException e) {
        return;
      }
      client.reconnectNow();
      backoff =
          backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
              ? MAX_BACKOFF
              : backoff.multipliedBy(2);
    }
  }

  private void followCri() {
    Iterator<Cri.ContainerEventResponse> events =
        client
            .runtimeStreams()
            .getContainerEvents(Cri.GetContainerEventsRequest.getDefaultInstance());
    // The call is made: exits from now on reach us. A runtime without the call refuses it with
    // UNIMPLEMENTED at the first read, which switches the source (and the poller back) at once.
    listener.streaming(true);
    boolean first = true;
    while (!closed && events.hasNext()) {
      if (first) {
        first = false;
        LOG.info("following container exits through the CRI's GetContainerEvents");
      }
      Cri.ContainerEventResponse event = events.next();
      if (event.getContainerEventType() == Cri.ContainerEventType.CONTAINER_STOPPED_EVENT) {
        listener.exited(event.getContainerId());
      }
    }
  }

  private void followContainerd() {
    Iterator<ContainerdEvents.Envelope> events =
        client
            .containerdEvents()
            .subscribe(
                ContainerdEvents.SubscribeRequest.newBuilder()
                    .addFilters(
                        "topic==\""
                            + TASK_EXIT_TOPIC
                            + "\",namespace==\""
                            + CONTAINERD_NAMESPACE
                            + "\"")
                    .build());
    // containerd registers the subscription before it sends anything and sends nothing until an
    // event: announce the stream at once, and let the poller's look at this moment cover an exit
    // in between.
    listener.streaming(true);
    LOG.info(
        "following container exits through containerd's event service ({} in namespace {})",
        TASK_EXIT_TOPIC,
        CONTAINERD_NAMESPACE);
    while (!closed && events.hasNext()) {
      taskExit(events.next()).ifPresent(listener::exited);
    }
  }

  /**
   * The container whose main process an envelope reports exited; empty for other topics, other
   * namespaces and exec'd processes (whose exits say nothing about the container).
   */
  static Optional<String> taskExit(ContainerdEvents.Envelope envelope) {
    if (!TASK_EXIT_TOPIC.equals(envelope.getTopic())
        || !CONTAINERD_NAMESPACE.equals(envelope.getNamespace())) {
      return Optional.empty();
    }
    TaskEvents.TaskExit exit;
    try {
      exit = TaskEvents.TaskExit.parseFrom(envelope.getEvent().getValue());
    } catch (InvalidProtocolBufferException e) {
      LOG.warn(
          "unreadable {} event ({}): {}",
          TASK_EXIT_TOPIC,
          envelope.getEvent().getTypeUrl(),
          e.getMessage());
      return Optional.empty();
    }
    if (exit.getContainerId().isEmpty() || !exit.getContainerId().equals(exit.getId())) {
      return Optional.empty();
    }
    return Optional.of(exit.getContainerId());
  }

  @Override
  public void close() {
    closed = true;
    Context.CancellableContext c = call;
    if (c != null) {
      c.cancel(null);
    }
    thread.interrupt();
  }
}
