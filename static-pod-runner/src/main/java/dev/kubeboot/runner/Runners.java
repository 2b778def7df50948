package dev.kubeboot.runner;

import dev.kubeboot.runner.fs.TrustedPaths;
import dev.kubeboot.runner.manifest.DirectoryManifestSource;
import dev.kubeboot.runner.probe.DefaultProber;
import dev.kubeboot.runner.runtime.ContainerRuntime;
import dev.kubeboot.runner.runtime.cri.CriContainerRuntime;
import dev.kubeboot.runner.runtime.cri.CriRuntimeOptions;
import dev.kubeboot.runner.runtime.docker.DockerContainerRuntime;
import dev.kubeboot.runner.runtime.docker.DockerRuntimeOptions;
import dev.kubeboot.runner.runtime.process.HostProcessOptions;
import dev.kubeboot.runner.runtime.process.HostProcessRuntime;
import dev.kubeboot.runner.worker.Sleeper;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one place a runner is assembled from its {@link RunnerSpec}: in this process ({@link
 * #start}), or as a process of its own that reads the same spec back from its flags ({@link
 * #startDetached}).
 */
public final class Runners {
  /** How long a detached runner may take to answer as the runner of its spec. */
  public static final Duration DETACHED_START_TIMEOUT = Duration.ofSeconds(30);

  /** A detached runner's output, in its state directory; rotated as container logs are. */
  public static final String RUNNER_LOG = "runner.log";

  private static final Duration START_POLL = Duration.ofMillis(50);

  private Runners() {}

  /**
   * Starts a runner in this process; the caller owns it ({@link StaticPodRunner#close} leaves the
   * pods running).
   *
   * @throws IllegalStateException the runtime chosen is not available (no engine answers)
   * @throws IOException the state directory cannot be written
   * @throws dev.kubeboot.runner.fs.UntrustedPathException another user owns or can write the
   *     manifest or state directory, or a directory on the way to them
   */
  public static StaticPodRunner start(RunnerSpec spec) throws IOException, InterruptedException {
    requireTrusted(spec);
    Files.createDirectories(spec.stateDir());
    Clock clock = Clock.systemUTC();
    RuntimeChoice choice = resolve(spec.runtime(), spec.runtimeEndpoint());
    ContainerRuntime runtime = open(choice, spec, clock);
    RunnerConfig config =
        RunnerConfig.of(spec.manifestPath(), spec.nodeName(), spec.nodeIP(), spec.stateDir())
            .withStatusAddress(spec.statusAddress())
            .withControlSocket(spec.controlSocket())
            .withFileCheckFrequency(spec.fileCheckFrequency())
            .withBinDirs(spec.binDirs())
            .withRuntime(runtime.name(), choice.endpoint())
            .withNode(spec.nodeLabels(), spec.nodeTaints())
            .withMetricsAddress(spec.metricsAddress())
            .withContainerLogs(spec.containerLogs())
            .withClock(clock);
    DefaultProber prober;
    try {
      prober = new DefaultProber(runtime, spec.nodeIP(), spec.kubernetesVersion());
    } catch (RuntimeException e) {
      runtime.close();
      throw e;
    }
    var source =
        new DirectoryManifestSource(
            spec.manifestPath(),
            spec.nodeName(),
            List.of(spec.nodeIP().split(",")),
            spec.fileCheckFrequency(),
            clock,
            TrustedPaths.forThisProcess());
    return StaticPodRunner.start(
        config, runtime, source, prober, Sleeper.of(clock), spec.kubeconfig());
  }

  /**
   * Before anything is made there (StaticPodRunner.start checks again once it exists): another user
   * who can swap the manifest or state directory could make root run their pod or write through a
   * link.
   */
  private static void requireTrusted(RunnerSpec spec) throws IOException {
    TrustedPaths trust = TrustedPaths.forThisProcess();
    trust.requireTrusted(spec.stateDir());
    trust.requireTrusted(spec.manifestPath());
  }

  /** A runner started as a process of its own. */
  public record Detached(long pid, Path log) {}

  /**
   * The command of a detached runner: {@code launcher} (what runs {@code kubeboot runner}, e.g.
   * {@code java -cp ... Main runner}) followed by the spec's flags.
   */
  public static List<String> detachedCommand(RunnerSpec spec, List<String> launcher) {
    List<String> command = new ArrayList<>(launcher);
    command.addAll(spec.toArgs());
    return List.copyOf(command);
  }

  /**
   * Starts a runner as a process of its own, in a session of its own (so it outlives the caller and
   * its terminal), its output appended to {@code <stateDir>/runner.log}, and waits until a client
   * trusts it ({@link RunnerClient#identify}: it answers, serves the spec's manifest directory and
   * wrote its pid file).
   *
   * @param launcher the command that runs {@code kubeboot runner}, before the flags
   * @throws RunnerStartException it exited, or did not answer within {@link
   *     #DETACHED_START_TIMEOUT}; the message names its log
   */
  public static Detached startDetached(RunnerSpec spec, List<String> launcher)
      throws IOException, InterruptedException {
    // The log is opened here, as root, before the runner checks anything itself.
    requireTrusted(spec);
    Files.createDirectories(spec.stateDir());
    Path log = spec.stateDir().resolve(RUNNER_LOG);
    List<String> command = new ArrayList<>(detachedCommand(spec, launcher));
    Path setsid = Path.of("/usr/bin/setsid");
    if (Files.isExecutable(setsid)) {
      command.addFirst(setsid.toString());
    }
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    RunnerClient client = RunnerClient.of(spec);
    long deadline = System.nanoTime() + DETACHED_START_TIMEOUT.toNanos();
    // Started means trusted: it answers, serves the spec's manifests and wrote its pid file.
    while (!(client.identify(spec.manifestPath()) instanceof RunnerClient.Serving serving
        && serving.status().pid() == process.pid())) {
      if (!process.isAlive()) {
        throw new RunnerStartException(
            "the static-pod runner exited with code "
                + process.exitValue()
                + " at start: see "
                + log);
      }
      if (System.nanoTime() > deadline) {
        throw new RunnerStartException(
            "the static-pod runner (pid "
                + process.pid()
                + ") did not answer as the runner of "
                + spec.manifestPath()
                + " on "
                + client.statusUri()
                + " within "
                + DETACHED_START_TIMEOUT.toSeconds()
                + "s: see "
                + log);
      }
      Thread.sleep(START_POLL);
    }
    return new Detached(process.pid(), log);
  }

  /** The runtime and endpoint a {@code --container-runtime} choice resolves to on this host. */
  public record RuntimeChoice(String runtime, String endpoint) {}

  /**
   * Resolves {@code auto} as the kubelet's users expect: a CRI socket at the usual paths
   * (containerd, CRI-O), then Docker, then host processes. An explicit endpoint is used as given.
   */
  public static RuntimeChoice resolve(String runtime, Optional<String> endpoint) {
    return switch (runtime) {
      case "cri" -> new RuntimeChoice("cri", endpoint.orElse(CriRuntimeOptions.DEFAULT_ENDPOINT));
      case "docker" ->
          new RuntimeChoice(
              "docker", endpoint.orElse(DockerRuntimeOptions.DEFAULT_ENDPOINT.toString()));
      case "process" -> new RuntimeChoice("process", "");
      case "auto" -> {
        List<String> cri = endpoint.map(List::of).orElse(CriRuntimeOptions.WELL_KNOWN_ENDPOINTS);
        for (String candidate : cri) {
          if (CriContainerRuntime.available(candidate)) {
            yield new RuntimeChoice("cri", candidate);
          }
        }
        String docker = endpoint.orElse(DockerRuntimeOptions.DEFAULT_ENDPOINT.toString());
        yield DockerContainerRuntime.available(URI.create(docker))
            ? new RuntimeChoice("docker", docker)
            : new RuntimeChoice("process", "");
      }
      default ->
          throw new IllegalArgumentException(
              "--container-runtime "
                  + runtime
                  + " is not known: use one of "
                  + String.join(", ", RunnerSpec.RUNTIMES));
    };
  }

  /** The runtime a runner of {@code spec} runs its pods on. */
  private static ContainerRuntime open(RuntimeChoice choice, RunnerSpec spec, Clock clock)
      throws InterruptedException {
    return switch (choice.runtime()) {
      case "docker" ->
          new DockerContainerRuntime(
              DockerRuntimeOptions.of(spec.stateDir())
                  .withEndpoint(URI.create(choice.endpoint()))
                  .withNetwork(spec.network())
                  .withPodInfraImage(spec.podInfraImage())
                  .withContainerLogs(spec.containerLogs()));
      case "cri" ->
          new CriContainerRuntime(
              CriRuntimeOptions.of(spec.stateDir())
                  .withEndpoint(choice.endpoint())
                  .withNetwork(spec.network())
                  .withCgroupDriver(spec.cgroupDriver()));
      case "process" ->
          new HostProcessRuntime(
              new HostProcessOptions(spec.stateDir(), spec.binDirs(), clock)
                  .withNetwork(spec.network()));
      default -> open(choice, spec.stateDir(), spec.binDirs(), clock);
    };
  }

  /**
   * Connects to a runtime as a runner of {@code stateDir} sees it; a client uses one to read logs.
   *
   * @throws IllegalStateException the engine does not answer
   */
  static ContainerRuntime open(RuntimeChoice choice, Path stateDir, List<Path> binDirs, Clock clock)
      throws InterruptedException {
    return switch (choice.runtime()) {
      case "docker" ->
          new DockerContainerRuntime(
              DockerRuntimeOptions.of(stateDir).withEndpoint(URI.create(choice.endpoint())));
      case "cri" ->
          new CriContainerRuntime(CriRuntimeOptions.of(stateDir).withEndpoint(choice.endpoint()));
      case "process" -> new HostProcessRuntime(new HostProcessOptions(stateDir, binDirs, clock));
      default ->
          throw new IllegalArgumentException(
              "runtime " + choice.runtime() + " is not one of process, docker, cri");
    };
  }
}
