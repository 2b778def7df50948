package dev.kubeboot.runner;

import dev.kubeboot.runner.pod.Container;
import dev.kubeboot.runner.pod.PodKey;
import dev.kubeboot.runner.pod.StaticPod;
import dev.kubeboot.runner.runtime.ContainerHandle;
import dev.kubeboot.runner.runtime.ContainerRuntime;
import dev.kubeboot.runner.runtime.ContainerStartException;
import dev.kubeboot.runner.runtime.ExecResult;
import dev.kubeboot.runner.runtime.ExitStatus;
import dev.kubeboot.runner.runtime.LogNotFoundException;
import dev.kubeboot.runner.runtime.LogQuery;
import dev.kubeboot.runner.runtime.OwnedPod;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted container engine: starts succeed unless a failure is queued for that container name;
 * containers run until a test makes them exit or a worker stops them. Every call is logged as an
 * event line ("start web/app#0", "stop web/app 30s", "removePod web") for order assertions.
 */
public final class FakeContainerRuntime implements ContainerRuntime {
  /** A container the fake runs. */
  public record Running(ContainerHandle handle, CompletableFuture<ExitStatus> exit) {}

  private final Clock clock;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<String, Running> containers = new LinkedHashMap<>();
  private final Map<String, Deque<ContainerStartException>> failures = new LinkedHashMap<>();
  private final List<String> events = new ArrayList<>();
  private final Map<String, Integer> execExitCodes = new LinkedHashMap<>();
  private final Map<String, Deque<ContainerStartException>> sandboxFailures = new LinkedHashMap<>();
  private final Map<String, String> podIPs = new LinkedHashMap<>();
  private final List<OwnedPod> ownedPods = new ArrayList<>();
  private volatile boolean closed;

  public FakeContainerRuntime(Clock clock) {
    this.clock = clock;
  }

  @Override
  public String name() {
    return "fake";
  }

  /** The next {@code times} starts of {@code container} fail with {@code reason}. */
  public synchronized void failStarts(String container, int times, String reason, String message) {
    Deque<ContainerStartException> q = failures.computeIfAbsent(container, k -> new ArrayDeque<>());
    for (int i = 0; i < times; i++) {
      q.add(new ContainerStartException(reason, message));
    }
  }

  /** The next {@code times} sandboxes of pod {@code podName} fail with {@code reason}. */
  public synchronized void failSandboxes(String podName, int times, String reason, String message) {
    Deque<ContainerStartException> q =
        sandboxFailures.computeIfAbsent(podName, k -> new ArrayDeque<>());
    for (int i = 0; i < times; i++) {
      q.add(new ContainerStartException(reason, message));
    }
  }

  /** A sandbox an earlier runner left, as {@code listOwnedPods} reports it. */
  public synchronized void leftSandbox(PodKey pod, String podUid) {
    ownedPods.add(new OwnedPod(pod, podUid));
  }

  /** A pod without hostNetwork gets 10.244.0.N, N counting sandboxes made. */
  @Override
  public synchronized List<String> preparePod(StaticPod pod) throws ContainerStartException {
    Deque<ContainerStartException> q = sandboxFailures.get(pod.key().name());
    if (q != null && !q.isEmpty()) {
      events.add("sandbox failed " + pod.key().name());
      throw q.poll();
    }
    events.add("sandbox " + pod.key().name());
    if (pod.spec().hostNetwork()) {
      return List.of();
    }
    String ip = podIPs.computeIfAbsent(pod.uid(), u -> "10.244.0." + (podIPs.size() + 2));
    return List.of(ip);
  }

  @Override
  public synchronized List<String> podIPs(String podUid) {
    String ip = podIPs.get(podUid);
    return ip == null ? List.of() : List.of(ip);
  }

  @Override
  public synchronized List<OwnedPod> listOwnedPods() {
    return List.copyOf(ownedPods);
  }

  public synchronized void execExitCode(String container, int code) {
    execExitCodes.put(container, code);
  }

  /**
   * Makes a container that was running before this runner started, as {@code listOwned} reports it.
   */
  public synchronized ContainerHandle leftRunning(StaticPod pod, String container, int attempt) {
    ContainerHandle h =
        new ContainerHandle(
            "c" + ids.incrementAndGet(),
            pod.key(),
            pod.uid(),
            container,
            attempt,
            clock.instant(),
            "hash");
    containers.put(h.id(), new Running(h, new CompletableFuture<>()));
    return h;
  }

  @Override
  public synchronized ContainerHandle start(StaticPod pod, Container container, int attempt)
      throws ContainerStartException {
    Deque<ContainerStartException> q = failures.get(container.name());
    if (q != null && !q.isEmpty()) {
      events.add("fail " + pod.key().name() + "/" + container.name() + "#" + attempt);
      throw q.poll();
    }
    ContainerHandle h =
        new ContainerHandle(
            "c" + ids.incrementAndGet(),
            pod.key(),
            pod.uid(),
            container.name(),
            attempt,
            clock.instant(),
            "hash");
    containers.put(h.id(), new Running(h, new CompletableFuture<>()));
    events.add(
        "start " + pod.key().name() + "/" + container.name() + "#" + attempt + " " + pod.uid());
    return h;
  }

  @Override
  public synchronized CompletionStage<ExitStatus> onExit(ContainerHandle container) {
    return containers.get(container.id()).exit();
  }

  @Override
  public void stop(ContainerHandle container, Duration gracePeriod) {
    Running r;
    synchronized (this) {
      r = containers.get(container.id());
      events.add(
          "stop "
              + container.pod().name()
              + "/"
              + container.containerName()
              + " "
              + gracePeriod.toSeconds()
              + "s "
              + container.podUid());
    }
    r.exit().complete(new ExitStatus(143, "Error", clock.instant()));
  }

  @Override
  public synchronized ExecResult exec(
      ContainerHandle container, List<String> command, Duration timeout) {
    events.add(
        "exec "
            + container.pod().name()
            + "/"
            + container.containerName()
            + " "
            + String.join(" ", command));
    return new ExecResult(execExitCodes.getOrDefault(container.containerName(), 0), "", false);
  }

  @Override
  public synchronized List<ContainerHandle> listOwned() {
    return running().stream().map(Running::handle).toList();
  }

  @Override
  public synchronized void removePod(PodKey pod, String podUid) {
    events.add("removePod " + pod.name() + " " + podUid);
    podIPs.remove(podUid);
    ownedPods.removeIf(p -> p.podUid().equals(podUid));
  }

  /**
   * Writes one line per instance asked for ("log of web-node1/app#1"): the newest started instance
   * of the container, or with {@code previous} the one before it.
   */
  @Override
  public void copyLog(LogQuery query, OutputStream out) throws IOException {
    List<ContainerHandle> instances;
    synchronized (this) {
      instances =
          containers.values().stream()
              .map(Running::handle)
              .filter(h -> h.pod().equals(query.pod()) && h.podUid().equals(query.podUid()))
              .filter(h -> h.containerName().equals(query.container()))
              .toList();
      events.add("logs " + query.pod().name() + "/" + query.container());
    }
    int index = instances.size() - (query.previous() ? 2 : 1);
    if (index < 0) {
      throw new LogNotFoundException("no log of " + query.pod() + "/" + query.container());
    }
    ContainerHandle h = instances.get(index);
    out.write(
        ("log of " + h.pod().name() + "/" + h.containerName() + "#" + h.attempt() + "\n")
            .getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  @Override
  public void close() {
    closed = true;
  }

  public boolean closed() {
    return closed;
  }

  /** Ends the one running container named {@code container} with {@code exitCode}. */
  public void exit(String container, int exitCode) {
    Running r;
    synchronized (this) {
      List<Running> matching =
          running().stream().filter(x -> x.handle().containerName().equals(container)).toList();
      if (matching.size() != 1) {
        throw new AssertionError("expected one running " + container + ", found " + matching);
      }
      r = matching.getFirst();
    }
    r.exit().complete(ExitStatus.of(exitCode, clock.instant()));
  }

  public synchronized List<Running> running() {
    return containers.values().stream().filter(r -> !r.exit().isDone()).toList();
  }

  public synchronized long runningCount(String container) {
    return running().stream().filter(r -> r.handle().containerName().equals(container)).count();
  }

  public synchronized List<String> events() {
    return List.copyOf(events);
  }

  public synchronized long count(String prefix) {
    return events.stream().filter(e -> e.startsWith(prefix)).count();
  }
}
