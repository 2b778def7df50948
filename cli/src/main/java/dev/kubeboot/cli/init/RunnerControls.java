package dev.kubeboot.cli.init;

import dev.kubeboot.cli.KubebootException;
import dev.kubeboot.cli.UsageException;
import dev.kubeboot.cli.health.ControlPlaneChecks;
import dev.kubeboot.cli.health.ControlPlaneWaiter;
import dev.kubeboot.cli.health.HealthCheck;
import dev.kubeboot.runner.RunnerClient;
import dev.kubeboot.runner.RunnerSpec;
import dev.kubeboot.runner.Runners;
import dev.kubeboot.runner.StaticPodRunner;
import dev.kubeboot.runner.manifest.GoDuration;
import dev.kubeboot.runner.network.PodNetworkOptions;
import dev.kubeboot.templates.IpText;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The real and the dry-run ways of starting the runner and waiting for the control plane. Both real
 * ways, in the background and in this process ({@code --foreground}), start the runner from the
 * same {@link RunnerSpec}, built in one place ({@link #spec}).
 */
public final class RunnerControls {
  private RunnerControls() {}

  /** How a runner is started from its spec: what tests replace to see the specs passed. */
  interface Starter {
    /** A runner in this process; it keeps running until the process exits. */
    void inProcess(RunnerSpec spec) throws IOException, InterruptedException;

    /** A runner process of its own, running {@code launcher} followed by the spec's flags. */
    Runners.Detached detached(RunnerSpec spec, List<String> launcher)
        throws IOException, InterruptedException;
  }

  /** Starts runners for real. */
  static final Starter RUNNERS =
      new Starter() {
        @Override
        public void inProcess(RunnerSpec spec) throws IOException, InterruptedException {
          StaticPodRunner runner = Runners.start(spec);
          Runtime.getRuntime()
              .addShutdownHook(new Thread(runner::close, "kubeboot-runner-shutdown"));
        }

        @Override
        public Runners.Detached detached(RunnerSpec spec, List<String> launcher)
            throws IOException, InterruptedException {
          return Runners.startDetached(spec, launcher);
        }
      };

  public static RunnerControl create(InitOptions options, boolean dryRun) {
    return create(options, dryRun, RUNNERS, RunnerUnit.host());
  }

  /**
   * @param unit the runner's systemd unit: a background start goes through it when systemd runs the
   *     host and the unit is installed, else the runner is started as a detached process
   */
  static RunnerControl create(
      InitOptions options, boolean dryRun, Starter starter, RunnerUnit unit) {
    if (dryRun) {
      return new DryRun();
    }
    return options.foreground
        ? new InProcess(options, starter)
        : new Detached(options, starter, unit);
  }

  /**
   * The runner init starts: it serves init's manifest directory as the node init configured (name,
   * address, kubelet settings, kubeadm's control-plane labels and taints) and shows its pods
   * through kubelet.conf.
   *
   * @throws UsageException a setting of the config the runner cannot take (a taint's effect)
   */
  static RunnerSpec spec(InitContext ctx, InitOptions options) throws UsageException {
    var init = ctx.config().init();
    try {
      return RunnerSpec.builder(
              ctx.layout().manifestDir(),
              init.nodeRegistration().name(),
              IpText.format(init.localAPIEndpoint().advertiseAddress()),
              options.runnerStateDir())
          .statusPort(options.node.runner.statusPort())
          .runtime(options.node.containerRuntime)
          .runtimeEndpoint(Optional.ofNullable(options.node.containerRuntimeEndpoint))
          .fileCheckFrequency(
              ctx.config().fileCheckFrequency().orElse(RunnerSpec.DEFAULT_FILE_CHECK_FREQUENCY))
          .kubernetesVersion(ctx.config().cluster().kubernetesVersion().text())
          .containerLogs(ctx.config().containerLogs())
          .cgroupDriver(ctx.config().cgroupDriver().orElse("cgroupfs"))
          .kubeconfig(Optional.of(kubeletConf(ctx)))
          .nodeLabels(ControlPlaneNodeMarks.labels())
          .nodeTaints(ControlPlaneNodeMarks.taints(ctx.config()))
          .network(PodNetworkOptions.of(podCidr(ctx).orElse(null), null, List.of()))
          .podInfraImage(pauseImage(ctx))
          .build();
    } catch (IllegalArgumentException e) {
      throw new UsageException("the runner cannot run as configured: " + e.getMessage(), e);
    }
  }

  /**
   * {@code java ... dev.kubeboot.cli.Main runner}: this JVM's java and class path, with the small
   * heap and quick start the runner's measurements chose.
   */
  static List<String> launcher() {
    return List.of(
        ProcessHandle.current().info().command().orElse("java"),
        "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1",
        "-Xss512k",
        "-XX:MaxRAM=256m",
        "-cp",
        System.getProperty("java.class.path"),
        "dev.kubeboot.cli.Main",
        "runner");
  }

  static Duration timeout(InitContext ctx, InitOptions options) {
    if (options.node.timeout != null) {
      return GoDuration.parse(options.node.timeout)
          .orElseThrow(
              () ->
                  new IllegalArgumentException(
                      "--timeout "
                          + options.node.timeout
                          + " is not a duration: write it like 4m, 90s or 1m30s"));
    }
    return ctx.config().init().timeouts().controlPlaneComponentHealthCheck();
  }

  /** This node's slice of networking.podSubnet: the runner's pod CIDR; empty without one. */
  static java.util.Optional<String> podCidr(InitContext ctx) {
    return ctx.config().cluster().networking().podSubnet().map(NodePodCidr::of);
  }

  /** kubeadm's pause image for the cluster's version, from its image repository. */
  static String pauseImage(InitContext ctx) {
    return PauseImage.of(
        ctx.config().cluster().imageRepository(),
        ctx.config().cluster().kubernetesVersion().text());
  }

  /** The kubelet's kubeconfig: the runner shows its pods through it as mirror pods. */
  static Path kubeletConf(InitContext ctx) {
    return ctx.layout().kubernetesDir().toAbsolutePath().resolve("kubelet.conf");
  }

  private static final class DryRun implements RunnerControl {
    @Override
    public void start(InitContext ctx) {
      ctx.printer()
          .phase(
              "dryrun", "Would start the static-pod runner for \"%s\"", ctx.layout().manifestDir());
    }

    @Override
    public void waitForControlPlane(InitContext ctx) {
      ctx.printer()
          .phase(
              "dryrun", "Would wait for the runner and the control-plane components to be healthy");
    }
  }

  /**
   * Starts {@code kubeboot runner} in the background, unless this node's runner serves: through
   * systemd's unit when it can, else as a process of its own.
   */
  private static final class Detached implements RunnerControl {
    private final InitOptions options;
    private final Starter starter;
    private final RunnerUnit unit;

    Detached(InitOptions options, Starter starter, RunnerUnit unit) {
      this.options = options;
      this.starter = starter;
      this.unit = unit;
    }

    @Override
    public void start(InitContext ctx) throws Exception {
      RunnerSpec spec = spec(ctx, options);
      Path manifests = spec.manifestPath();
      switch (RunnerClient.of(spec).identify(manifests)) {
        case RunnerClient.Serving serving -> {
          ctx.printer()
              .phase(
                  "runner-start",
                  "A static-pod runner already serves \"%s\" (pid %d): leaving it as it is",
                  manifests,
                  serving.status().pid());
          return;
        }
        case RunnerClient.Foreign foreign ->
            throw new KubebootException(
                "port "
                    + spec.statusAddress().getPort()
                    + " is taken: "
                    + foreign.reason()
                    + "; stop that process, or reset that node first");
        case RunnerClient.Absent absent -> {}
      }
      if (unit.available()) {
        ctx.printer()
            .phase(
                "runner-start",
                "Writing the runner's flags to \"%s\" and starting %s for \"%s\"",
                unit.flagsFile(),
                RunnerUnit.UNIT,
                manifests);
        long pid = unit.start(spec);
        ctx.printer()
            .phase(
                "runner-start",
                "The static-pod runner is running under systemd (pid %d; systemctl status %s)",
                pid,
                RunnerUnit.UNIT);
        return;
      }
      ctx.printer()
          .phase(
              "runner-start",
              "Starting the static-pod runner for \"%s\" (log: %s)",
              manifests,
              spec.stateDir().resolve("runner.log"));
      Runners.Detached started = starter.detached(spec, launcher());
      ctx.printer()
          .phase("runner-start", "The static-pod runner is running (pid %d)", started.pid());
    }

    @Override
    public void waitForControlPlane(InitContext ctx) throws Exception {
      awaitControlPlane(ctx, options);
    }
  }

  static void awaitControlPlane(InitContext ctx, InitOptions options) throws Exception {
    Duration timeout = timeout(ctx, options);
    int port = options.node.runner.statusPort();
    var waiter = new ControlPlaneWaiter(ctx.printer());
    ctx.printer()
        .phase(
            "wait-control-plane",
            "Waiting for the runner to boot up the control plane as static Pods from directory \"%s\"",
            ctx.layout().manifestDir());
    ctx.printer()
        .phase(
            "runner-check",
            "Waiting for a healthy runner at http://127.0.0.1:%d/healthz. This can take up to %s",
            port,
            GoDuration.format(timeout));
    try {
      waiter.await("runner-check", ControlPlaneChecks.runner(port), timeout);
      List<HealthCheck> checks =
          ControlPlaneChecks.components(
              ctx.config(), ctx.layout().kubernetesDir(), ctx.layout().certDir());
      ctx.printer()
          .phase(
              "control-plane-check",
              "Waiting for healthy control plane components. This can take up to %s",
              GoDuration.format(timeout));
      waiter.awaitAll("control-plane-check", checks, timeout);
    } catch (ControlPlaneWaiter.UnhealthyException e) {
      throw new KubebootException(e.getMessage(), e);
    }
  }

  /**
   * Runs the runner inside this process (init --foreground); a shutdown hook closes it, leaving
   * pods running.
   */
  private static final class InProcess implements RunnerControl {
    private final InitOptions options;
    private final Starter starter;

    InProcess(InitOptions options, Starter starter) {
      this.options = options;
      this.starter = starter;
    }

    @Override
    public void start(InitContext ctx) throws Exception {
      RunnerSpec spec = spec(ctx, options);
      if (RunnerClient.of(spec).status().isPresent()) {
        throw new KubebootException(
            "a static-pod runner already answers on port "
                + spec.statusAddress().getPort()
                + ": --foreground cannot start a second one; stop it or drop --foreground");
      }
      starter.inProcess(spec);
      ctx.printer()
          .phase(
              "runner-start",
              "The static-pod runner is running in this process (foreground) for \"%s\"",
              spec.manifestPath());
    }

    @Override
    public void waitForControlPlane(InitContext ctx) throws Exception {
      awaitControlPlane(ctx, options);
    }
  }
}
