package dev.kubeboot.runner;

import dev.kubeboot.runner.pod.Container;
import dev.kubeboot.runner.pod.ProbeAction;
import dev.kubeboot.runner.probe.ProbeResult;
import dev.kubeboot.runner.probe.Prober;
import dev.kubeboot.runner.runtime.ContainerHandle;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Answers exec probes by their first word ("live", "ready", "start" in tests): success unless told
 * otherwise; counts calls so tests can step time probe by probe.
 */
public final class FakeProber implements Prober {
  private final Map<String, Boolean> results = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

  public void set(String container, String probe, boolean success) {
    results.put(container + "/" + probe, success);
  }

  public int calls(String container, String probe) {
    return calls.computeIfAbsent(container + "/" + probe, k -> new AtomicInteger()).get();
  }

  @Override
  public ProbeResult probe(
      ProbeAction action, ContainerHandle container, Container spec, Duration timeout) {
    String key = spec.name() + "/" + ((ProbeAction.Exec) action).command().getFirst();
    calls.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    return results.getOrDefault(key, true)
        ? ProbeResult.success("ok")
        : ProbeResult.failure(key + " said no");
  }
}
