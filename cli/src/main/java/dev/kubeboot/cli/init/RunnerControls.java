package dev.kubeboot.cli.init;

import dev.kubeboot.cli.KubebootException;
import dev.kubeboot.cli.health.ControlPlaneChecks;
import dev.kubeboot.cli.health.ControlPlaneWaiter;
import dev.kubeboot.cli.health.HealthCheck;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The real and the dry-run ways of starting the runner and waiting for the control plane. */
public final class RunnerControls {
  static final int STATUS_PORT = 10248;

  private RunnerControls() {}

  public static RunnerControl create(InitOptions options, boolean dryRun) {
    if (dryRun) {
      return new DryRun();
    }
    return options.foreground ? new InProcess(options) : new Detached(options);
  }

  /** Where the runner keeps pid files, logs and its status file. */
  static Path stateDir(InitOptions options) {
    if (options.runnerStateDir != null) {
      return options.runnerStateDir.toAbsolutePath();
    }
    return options.kubernetesDir != null
        ? options.kubernetesDir.toAbsolutePath().resolve("runner")
        : Path.of("/var/lib/kubeboot");
  }

  static Duration timeout(InitContext ctx, InitOptions options) {
    if (options.timeout != null) {
      return dev.kubeboot.cli.config.GoDuration.parse(options.timeout)
          .orElseThrow(
              () ->
                  new IllegalArgumentException(
                      "--timeout "
                          + options.timeout
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
        ctx.config().cluster().imageRepository(), ctx.config().cluster().kubernetesVersion());
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
   * Starts `kubeboot runner` as a detached process with a pid file and a log, unless one already
   * serves.
   */
  private static final class Detached implements RunnerControl {
    private final InitOptions options;

    Detached(InitOptions options) {
      this.options = options;
    }

    @Override
    public void start(InitContext ctx) throws Exception {
      Path state = stateDir(options);
      Path manifests = ctx.layout().manifestDir();
      var serving = RunnerControls.servingManifestPath();
      if (serving != null) {
        if (Path.of(serving).toAbsolutePath().normalize().equals(manifests)) {
          ctx.printer()
              .phase(
                  "runner-start",
                  "A static-pod runner already serves \"%s\": leaving it as it is",
                  manifests);
          return;
        }
        throw new KubebootException(
            "port "
                + STATUS_PORT
                + " is taken by a runner for another manifest directory ("
                + serving
                + "): stop it, or reset that node first");
      }
      Files.createDirectories(state);
      Path log = state.resolve("runner.log");
      Path pidFile = state.resolve("runner.pid");
      List<String> command = new ArrayList<>();
      command.add(ProcessHandle.current().info().command().orElse("java"));
      command.addAll(
          List.of(
              "-XX:+UseSerialGC",
              "-XX:TieredStopAtLevel=1",
              "-Xss512k",
              "-XX:MaxRAM=256m",
              "-cp",
              System.getProperty("java.class.path"),
              "dev.kubeboot.cli.Main",
              "runner"));
      command.addAll(
          List.of(
              "--pod-manifest-path", manifests.toString(),
              "--state-dir", state.toString(),
              "--node-name", ctx.config().init().nodeRegistration().name(),
              "--node-ip", ctx.config().init().localAPIEndpoint().advertiseAddress(),
              "--container-runtime", options.containerRuntime,
              "--kubeconfig", kubeletConf(ctx).toString()));
      if (options.containerRuntimeEndpoint != null) {
        command.addAll(List.of("--container-runtime-endpoint", options.containerRuntimeEndpoint));
      }
      podCidr(ctx).ifPresent(cidr -> command.addAll(List.of("--pod-cidr", cidr)));
      command.addAll(List.of("--pod-infra-container-image", pauseImage(ctx)));
      var setsid = Path.of("/usr/bin/setsid");
      if (Files.isExecutable(setsid)) {
        command.addFirst(setsid.toString());
      }
      ctx.printer()
          .phase(
              "runner-start",
              "Starting the static-pod runner for \"%s\" (log: %s)",
              manifests,
              log);
      var process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      Files.writeString(pidFile, process.pid() + "\n");
      var healthz = ControlPlaneChecks.runner(STATUS_PORT);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (true) {
        if (!process.isAlive()) {
          throw new KubebootException(
              "the static-pod runner exited with code "
                  + process.exitValue()
                  + " at start: see "
                  + log);
        }
        if (healthz.probe(Duration.ofSeconds(1)).healthy()) {
          break;
        }
        if (System.nanoTime() > deadline) {
          throw new KubebootException(
              "the static-pod runner (pid "
                  + process.pid()
                  + ") did not answer "
                  + healthz.url()
                  + " within 30s: see "
                  + log);
        }
        Thread.sleep(50);
      }
      ctx.printer()
          .phase("runner-start", "The static-pod runner is running (pid %d)", process.pid());
    }

    @Override
    public void waitForControlPlane(InitContext ctx) throws Exception {
      awaitControlPlane(ctx, options);
    }
  }

  static void awaitControlPlane(InitContext ctx, InitOptions options) throws Exception {
    Duration timeout = timeout(ctx, options);
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
            STATUS_PORT,
            dev.kubeboot.cli.config.GoDuration.format(timeout));
    try {
      waiter.await("runner-check", ControlPlaneChecks.runner(STATUS_PORT), timeout);
      List<HealthCheck> checks =
          ControlPlaneChecks.components(
              ctx.config(), ctx.layout().kubernetesDir(), ctx.layout().certDir());
      ctx.printer()
          .phase(
              "control-plane-check",
              "Waiting for healthy control plane components. This can take up to %s",
              dev.kubeboot.cli.config.GoDuration.format(timeout));
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

    InProcess(InitOptions options) {
      this.options = options;
    }

    @Override
    public void start(InitContext ctx) throws Exception {
      String serving = servingManifestPath();
      if (serving != null) {
        throw new KubebootException(
            "a static-pod runner already answers on port "
                + STATUS_PORT
                + " (for "
                + serving
                + "): --foreground cannot start a second one; stop it or drop --foreground");
      }
      var settings =
          new EmbeddedRunner.Settings(
              ctx.layout().manifestDir(),
              stateDir(options),
              ctx.config().init().nodeRegistration().name(),
              ctx.config().init().localAPIEndpoint().advertiseAddress(),
              options.containerRuntime,
              options.containerRuntimeEndpoint,
              STATUS_PORT,
              List.of(),
              ctx.config()
                  .fileCheckFrequency()
                  .orElse(dev.kubeboot.runner.RunnerConfig.DEFAULT_FILE_CHECK_FREQUENCY),
              ctx.config().cluster().kubernetesVersion(),
              java.util.Optional.of(kubeletConf(ctx)),
              dev.kubeboot.runner.network.PodNetworkOptions.of(
                  podCidr(ctx).orElse(null), null, List.of()),
              pauseImage(ctx));
      var runner = EmbeddedRunner.start(settings);
      Runtime.getRuntime().addShutdownHook(new Thread(runner::close, "kubeboot-runner-shutdown"));
      ctx.printer()
          .phase(
              "runner-start",
              "The static-pod runner is running in this process (foreground) for \"%s\"",
              ctx.layout().manifestDir());
    }

    @Override
    public void waitForControlPlane(InitContext ctx) throws Exception {
      awaitControlPlane(ctx, options);
    }
  }

  /** The manifest path of the runner answering on the status port, or null when none answers. */
  static String servingManifestPath() throws InterruptedException {
    try {
      var response =
          HttpClient.newBuilder()
              .connectTimeout(Duration.ofSeconds(1))
              .build()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + STATUS_PORT + "/pods"))
                      .timeout(Duration.ofSeconds(2))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      var matcher =
          java.util.regex.Pattern.compile("\"manifestPath\"\\s*:\\s*\"([^\"]*)\"")
              .matcher(response.body());
      return matcher.find() ? matcher.group(1) : "(unknown)";
    } catch (IOException e) {
      return null;
    }
  }
}
