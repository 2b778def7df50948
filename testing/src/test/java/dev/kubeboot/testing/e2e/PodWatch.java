package dev.kubeboot.testing.e2e;

import dev.kubeboot.runner.status.PodStatus;
import dev.kubeboot.runner.status.RunnerStatus;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * Polls the runner's /pods every 50 ms while open, so an upgrade test can tell in which order the
 * static pods were re-created and what was ready in between: the runner's own view, not the upgrade
 * command's output.
 */
final class PodWatch implements AutoCloseable {
  /** One look at one pod; every pod seen in the same poll shares its {@code nanos}. */
  record Seen(long nanos, String component, String uid, boolean ready) {}

  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final Thread poller;

  private PodWatch(String node) {
    poller = Thread.ofVirtual().start(() -> poll(node));
  }

  /** Starts watching the pods of {@code node} (static pod names end in "-node"). */
  static PodWatch start(String node) {
    return new PodWatch(node);
  }

  private void poll(String node) {
    while (!stop.get()) {
      try {
        Optional<RunnerStatus> status = E2eSupport.runner();
        long now = System.nanoTime();
        status.ifPresent(
            s -> {
              for (PodStatus p : s.pods()) {
                String name = p.key().name();
                String component = name.substring(0, name.lastIndexOf('-' + node));
                seen.add(new Seen(now, component, p.uid(), p.ready()));
              }
            });
        Thread.sleep(50);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** When a pod of {@code component} other than the one in {@code before} was first seen. */
  long firstNewUid(String component, Map<String, String> before) {
    return seen.stream()
        .filter(s -> s.component().equals(component) && !s.uid().equals(before.get(component)))
        .mapToLong(Seen::nanos)
        .min()
        .orElseThrow(() -> new AssertionError("never saw a new pod of " + component));
  }

  /** When a new pod of {@code component} was first seen ready. */
  long firstReadyWithNewUid(String component, Map<String, String> before) {
    return seen.stream()
        .filter(
            s ->
                s.component().equals(component)
                    && s.ready()
                    && !s.uid().equals(before.get(component)))
        .mapToLong(Seen::nanos)
        .min()
        .orElseThrow(() -> new AssertionError("never saw a new ready pod of " + component));
  }

  /**
   * Whether one poll at or after {@code from} and before {@code to} saw every one of {@code
   * components} ready: the whole control plane up between two upgrade steps.
   */
  boolean allReadyBetween(long from, long to, Collection<String> components) {
    Map<Long, Set<String>> readyByPoll =
        seen.stream()
            .filter(s -> s.nanos() >= from && s.nanos() < to && s.ready())
            .collect(
                Collectors.groupingBy(
                    Seen::nanos, Collectors.mapping(Seen::component, Collectors.toSet())));
    return readyByPoll.values().stream().anyMatch(ready -> ready.containsAll(components));
  }

  @Override
  public void close() throws InterruptedException {
    stop.set(true);
    poller.join();
  }
}
