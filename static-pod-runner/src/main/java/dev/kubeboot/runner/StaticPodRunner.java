package dev.kubeboot.runner;

import dev.kubeboot.runner.api.ControlServer;
import dev.kubeboot.runner.api.StateFileWriter;
import dev.kubeboot.runner.api.StatusServer;
import dev.kubeboot.runner.fs.TrustedPaths;
import dev.kubeboot.runner.manifest.ManifestSnapshot;
import dev.kubeboot.runner.manifest.ManifestSource;
import dev.kubeboot.runner.metrics.RunnerMetrics;
import dev.kubeboot.runner.mirror.MirrorPodSyncer;
import dev.kubeboot.runner.mirror.MirrorSettings;
import dev.kubeboot.runner.mirror.NodeSystem;
import dev.kubeboot.runner.pod.Container;
import dev.kubeboot.runner.pod.PodKey;
import dev.kubeboot.runner.pod.StaticPod;
import dev.kubeboot.runner.probe.Prober;
import dev.kubeboot.runner.runtime.ContainerHandle;
import dev.kubeboot.runner.runtime.ContainerRuntime;
import dev.kubeboot.runner.runtime.LogRotator;
import dev.kubeboot.runner.runtime.OwnedPod;
import dev.kubeboot.runner.status.RunnerStatus;
import dev.kubeboot.runner.status.StatusStore;
import dev.kubeboot.runner.worker.PodWorkers;
import dev.kubeboot.runner.worker.Sleeper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The static-pod half of a kubelet, wired: manifest source -> pod workers -> container runtime,
 * with status on read-only HTTP and in a state file, and restart requests on a control socket.
 * {@link Runners#start} assembles one from a {@link RunnerSpec}.
 *
 * <p>Lifecycle: {@link #start} adopts what an earlier runner left running (containers of pods still
 * in the manifests are kept with their restart counts; anything else it owns is stopped and
 * removed), then writes its pid file and starts the workers, the status endpoint, the control
 * socket and the state file. {@link #close} stops watching and serving but leaves the pods running,
 * like a kubelet restart; {@link #shutdown shutdown(true)} stops them too. The runner closes the
 * source and the runtime it was given.
 */
public final class StaticPodRunner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StaticPodRunner.class);

  /**
   * The runner's version, the Node's kubeletVersion: the jar's Implementation-Version as a Go
   * version string, {@code v0.0.0-dev} from a build without one.
   */
  public static final String RUNNER_VERSION =
      "v"
          + java.util.Optional.ofNullable(
                  StaticPodRunner.class.getPackage().getImplementationVersion())
              .orElse("0.0.0-dev");

  /** Grace period for stray containers found at start: no manifest says otherwise any more. */
  static final Duration STRAY_GRACE = Duration.ofSeconds(30);

  private final RunnerConfig config;
  private final ContainerRuntime runtime;
  private final ManifestSource source;
  private final Prober prober;
  private final StatusStore store;
  private final PodWorkers workers;
  private final RunnerMetrics metrics;
  private final AtomicBoolean closed = new AtomicBoolean();
  private StatusServer server;
  private StatusServer metricsServer;
  private ControlServer control;
  private RunnerPidFile pidFile;
  private StateFileWriter stateFile;
  private MirrorPodSyncer mirror;
  private Thread logRotation;

  private StaticPodRunner(
      RunnerConfig config,
      ContainerRuntime runtime,
      ManifestSource source,
      Prober prober,
      Sleeper sleeper) {
    this.config = config;
    this.runtime = runtime;
    this.source = source;
    this.prober = prober;
    this.store =
        new StatusStore(
            new RunnerStatus(
                ProcessHandle.current().pid(),
                config.clock().instant(),
                runtime.name(),
                config.runtimeEndpoint(),
                config.manifestPath().toString(),
                config.nodeName(),
                "off",
                List.of(),
                List.of()));
    this.metrics = new RunnerMetrics(store::current);
    this.workers =
        new PodWorkers(runtime, prober, store, config.clock(), sleeper, config.nodeIP(), metrics);
  }

  /**
   * Starts a runner over the given parts; it owns them from here on (and closes the prober too when
   * it is {@link AutoCloseable}).
   *
   * @param sleeper waits on {@code config.clock()}; {@code Sleeper.of(config.clock())} outside
   *     tests
   * @throws IOException the state directory cannot be written
   * @throws dev.kubeboot.runner.fs.UntrustedPathException another user owns or can write the
   *     manifest or state directory, or a directory on the way to them
   * @throws dev.kubeboot.runner.api.StatusServerException the status address cannot be bound
   * @throws dev.kubeboot.runner.api.ControlSocketException the control socket cannot be made safely
   */
  public static StaticPodRunner start(
      RunnerConfig config,
      ContainerRuntime runtime,
      ManifestSource source,
      Prober prober,
      Sleeper sleeper)
      throws IOException, InterruptedException {
    return start(config, runtime, source, prober, sleeper, Optional.empty());
  }

  /**
   * As {@link #start(RunnerConfig, ContainerRuntime, ManifestSource, Prober, Sleeper)}, and with a
   * kubeconfig the runner also shows its pods on that API server as mirror pods (and registers the
   * Node). The API server is never waited for: it may be down, or one of the pods run here.
   */
  public static StaticPodRunner start(
      RunnerConfig config,
      ContainerRuntime runtime,
      ManifestSource source,
      Prober prober,
      Sleeper sleeper,
      Optional<Path> kubeconfig)
      throws IOException, InterruptedException {
    // Another user who can swap the manifest or state directory could make root run their pod.
    TrustedPaths trust = TrustedPaths.forThisProcess();
    trust.requireTrusted(config.manifestPath());
    trust.requireTrusted(config.stateDir());
    StaticPodRunner runner = new StaticPodRunner(config, runtime, source, prober, sleeper);
    kubeconfig.ifPresent(
        file ->
            runner.mirror =
                MirrorPodSyncer.fromKubeconfig(
                    file,
                    MirrorSettings.of(config.nodeName(), config.nodeIP(), config.clock())
                        .withNode(config.nodeLabels(), config.nodeTaints())
                        .withSystem(NodeSystem.ofHost(RUNNER_VERSION, runtime.version())),
                    runner.store,
                    runner.metrics));
    try {
      runner.begin();
      if (runner.mirror != null) {
        runner.mirror.start();
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      runner.shutdownQuietly();
      throw e;
    }
    return runner;
  }

  private void begin() throws IOException, InterruptedException {
    List<ContainerHandle> owned = runtime.listOwned();
    List<OwnedPod> ownedPods = runtime.listOwnedPods();
    stateFile = StateFileWriter.start(config.stateDir(), store);
    server =
        StatusServer.start(
            config.statusAddress(),
            store,
            config.metricsAddress().isEmpty() ? Optional.of(metrics) : Optional.empty());
    if (config.metricsAddress().isPresent()) {
      metricsServer = StatusServer.metricsOnly(config.metricsAddress().get(), metrics);
    }
    control = ControlServer.start(config.controlSocket(), this::restartPod);
    // Last: a runner that could not take the port or the socket must not replace the pid file of
    // the runner that holds them.
    pidFile = RunnerPidFile.ofCurrentProcess();
    pidFile.write(config.stateDir());
    LogRotator rotator = new LogRotator(config.containerLogs(), config.clock());
    logRotation = Thread.ofVirtual().name("log-rotation").start(() -> rotateLogs(rotator));
    AtomicBoolean first = new AtomicBoolean(true);
    source.start(
        snapshot -> {
          if (first.compareAndSet(true, false)) {
            adopt(snapshot, owned, ownedPods);
          }
          workers.accept(snapshot);
          if (mirror != null) {
            mirror.accept(snapshot);
          }
        });
    LOG.info(
        "static pod runner on {}: manifests {}, runtime {}, status http://{}:{}/pods, control {}",
        config.nodeName(),
        config.manifestPath(),
        runtime.name(),
        statusAddress().getAddress().getHostAddress(),
        statusAddress().getPort(),
        control.socket());
  }

  /**
   * Every {@link LogRotator#CHECK_INTERVAL}: the container logs the runtime writes, and the
   * runner's own log in the state directory, which a detached runner's output is appended to.
   */
  private void rotateLogs(LogRotator rotator) {
    Path own = config.stateDir().resolve(Runners.RUNNER_LOG);
    try {
      while (!closed.get()) {
        // Real time, not the injected sleeper: sizes grow in real time, and a test's fake time
        // must not see this loop as one more sleeper.
        Thread.sleep(LogRotator.CHECK_INTERVAL);
        try {
          runtime.rotateLogs(rotator);
          rotator.rotateIfNeeded(own);
        } catch (IOException | RuntimeException e) {
          LOG.warn("rotating logs: {}", e.toString());
        }
      }
    } catch (InterruptedException e) {
      // closing
    }
  }

  /**
   * Keeps containers of pods that are still wanted (same uid, an app container of that name); stops
   * and removes everything else this runtime owns, including sandboxes and network attachments of
   * pods no manifest wants (a killed runner's leftovers).
   */
  private void adopt(
      ManifestSnapshot snapshot, List<ContainerHandle> owned, List<OwnedPod> ownedPods) {
    List<ContainerHandle> keep = new ArrayList<>();
    List<ContainerHandle> strays = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (ContainerHandle h : owned) {
      StaticPod pod = snapshot.pods().get(h.pod());
      boolean wanted =
          pod != null
              && pod.uid().equals(h.podUid())
              && pod.spec().containers().stream()
                  .map(Container::name)
                  .anyMatch(h.containerName()::equals)
              && seen.add(h.podUid() + "/" + h.containerName());
      (wanted ? keep : strays).add(h);
    }
    for (ContainerHandle h : strays) {
      LOG.info(
          "stopping {}/{} ({}) left by an earlier runner: its pod is gone or changed",
          h.pod(),
          h.containerName(),
          h.id());
      try {
        runtime.stop(h, STRAY_GRACE);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    Set<String> keptPods = new HashSet<>();
    keep.forEach(h -> keptPods.add(h.podUid()));
    for (ContainerHandle h : strays) {
      if (!keptPods.contains(h.podUid()) && keptPods.add(h.podUid())) {
        try {
          runtime.removePod(h.pod(), h.podUid());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
    for (OwnedPod p : ownedPods) {
      StaticPod pod = snapshot.pods().get(p.pod());
      boolean wanted = pod != null && pod.uid().equals(p.podUid());
      if (!wanted && keptPods.add(p.podUid())) {
        LOG.info("removing pod {} ({}) left by an earlier runner", p.pod(), p.podUid());
        try {
          runtime.removePod(p.pod(), p.podUid());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
    workers.adopt(keep);
  }

  public RunnerConfig config() {
    return config;
  }

  /** The current status snapshot. */
  public RunnerStatus status() {
    return store.current();
  }

  /**
   * Restarts every container of a pod gracefully, as a crash would: the next start waits for the
   * crash backoff (what the control socket's {@code POST /pods/<namespace>/<name>/restart} does);
   * returns before they are back.
   *
   * @return false when no pod has that key
   */
  public boolean restartPod(PodKey key) {
    return workers.restart(key);
  }

  /** The store behind {@link #status()}, for listeners (a mirror-pod syncer). */
  public StatusStore statusStore() {
    return store;
  }

  /** Where /healthz and /pods are served (the real port when configured with port 0). */
  public InetSocketAddress statusAddress() {
    return server.address();
  }

  /**
   * Where /metrics is served: the status endpoint's address unless it has a listener of its own.
   */
  public InetSocketAddress metricsAddress() {
    return metricsServer != null ? metricsServer.address() : server.address();
  }

  /** This runner's metrics (its own registry). */
  public RunnerMetrics metrics() {
    return metrics;
  }

  public Path stateFile() {
    return stateFile.file();
  }

  /** The unix socket restart requests come through. */
  public Path controlSocket() {
    return control.socket();
  }

  /** Stops every pod and waits for its containers to stop; the runner keeps serving status. */
  public void stopAllPods() throws InterruptedException {
    source.close();
    workers.stopAll();
  }

  /**
   * Stops the runner.
   *
   * @param stopPods stop every container first; false leaves them running for the next runner
   */
  public void shutdown(boolean stopPods) throws InterruptedException {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (mirror != null) {
      mirror.close();
    }
    if (logRotation != null) {
      logRotation.interrupt();
      logRotation.join();
    }
    source.close();
    workers.shutdown(stopPods);
    if (stateFile != null) {
      stateFile.close();
    }
    if (control != null) {
      control.close();
    }
    if (server != null) {
      server.close();
    }
    if (metricsServer != null) {
      metricsServer.close();
    }
    if (pidFile != null) {
      try {
        pidFile.removeIfOurs(config.stateDir());
      } catch (IOException e) {
        LOG.warn("cannot remove the pid file in {}: {}", config.stateDir(), e.toString());
      }
    }
    if (prober instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        LOG.warn("closing the prober", e);
      }
    }
    runtime.close();
  }

  private void shutdownQuietly() {
    try {
      shutdown(false);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops watching and serving; pods keep running, as across a kubelet restart. */
  @Override
  public void close() {
    shutdownQuietly();
  }
}
