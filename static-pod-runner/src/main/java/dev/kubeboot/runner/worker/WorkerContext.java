package dev.kubeboot.runner.worker;

import dev.kubeboot.runner.metrics.RunnerMetrics;
import dev.kubeboot.runner.probe.Prober;
import dev.kubeboot.runner.runtime.ContainerRuntime;
import dev.kubeboot.runner.status.StatusStore;
import java.time.Clock;

/**
 * What every pod worker shares: the engine, the prober, time, backoff, the status sink and the
 * metrics.
 */
record WorkerContext(
    ContainerRuntime runtime,
    Prober prober,
    Clock clock,
    Sleeper sleeper,
    CrashBackoff backoff,
    StatusStore store,
    String nodeIP,
    RunnerMetrics metrics) {}
