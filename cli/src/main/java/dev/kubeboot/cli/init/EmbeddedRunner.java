package dev.kubeboot.cli.init;

import dev.kubeboot.runner.RunnerConfig;
import dev.kubeboot.runner.StaticPodRunner;
import dev.kubeboot.runner.manifest.DirectoryManifestSource;
import dev.kubeboot.runner.network.PodNetworkOptions;
import dev.kubeboot.runner.probe.DefaultProber;
import dev.kubeboot.runner.runtime.ContainerRuntime;
import dev.kubeboot.runner.runtime.HostProcessOptions;
import dev.kubeboot.runner.runtime.HostProcessRuntime;
import dev.kubeboot.runner.runtime.cri.CriContainerRuntime;
import dev.kubeboot.runner.runtime.cri.CriRuntimeOptions;
import dev.kubeboot.runner.runtime.docker.DockerContainerRuntime;
import dev.kubeboot.runner.runtime.docker.DockerRuntimeOptions;
import dev.kubeboot.runner.worker.Sleeper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Wires a static-pod runner from the CLI's settings: one place for `kubeboot runner` and `init
 * --foreground`.
 */
public final class EmbeddedRunner {
  private EmbeddedRunner() {}

  /**
   * What a runner needs from the command line.
   *
   * @param runtime "process", "docker", "cri" or "auto" (a CRI socket, else Docker, else host
   *     processes)
   * @param runtimeEndpoint the container engine's socket, e.g.
   *     unix:///run/containerd/containerd.sock; null: the runtime's usual one
   * @param kubeconfig the API server to show the pods on as mirror pods; empty: none
   * @param network where pods without hostNetwork get their network (pod CIDR, CNI dirs)
   * @param podInfraImage the docker runtime's pod sandbox (pause) image
   */
  public record Settings(
      Path manifestPath,
      Path stateDir,
      String nodeName,
      String nodeIp,
      String runtime,
      String runtimeEndpoint,
      int statusPort,
      List<Path> binDirs,
      Duration fileCheckFrequency,
      String kubernetesVersion,
      Optional<Path> kubeconfig,
      PodNetworkOptions network,
      String podInfraImage) {
    public Settings {
      binDirs = List.copyOf(binDirs);
      java.util.Objects.requireNonNull(kubeconfig, "kubeconfig");
      java.util.Objects.requireNonNull(network, "network");
      java.util.Objects.requireNonNull(podInfraImage, "podInfraImage");
    }
  }

  /** Runtime names `--container-runtime` accepts. */
  public static final List<String> RUNTIMES = List.of("auto", "process", "docker", "cri");

  public static final String DEFAULT_DOCKER_ENDPOINT = "unix:///var/run/docker.sock";

  public static StaticPodRunner start(Settings settings) throws IOException, InterruptedException {
    Path state = settings.stateDir().toAbsolutePath();
    Files.createDirectories(state);
    Clock clock = Clock.systemUTC();
    var config =
        RunnerConfig.of(
                settings.manifestPath().toAbsolutePath(),
                settings.nodeName(),
                settings.nodeIp(),
                state)
            .withStatusAddress(new InetSocketAddress("127.0.0.1", settings.statusPort()))
            .withFileCheckFrequency(settings.fileCheckFrequency())
            .withBinDirs(settings.binDirs())
            .withClock(clock);
    ContainerRuntime runtime = runtime(settings, config);
    config = config.withRuntime(runtime.name());
    var source =
        new DirectoryManifestSource(
            config.manifestPath(), settings.nodeName(), settings.fileCheckFrequency(), clock);
    var prober = new DefaultProber(runtime, settings.nodeIp(), settings.kubernetesVersion());
    return StaticPodRunner.start(
        config,
        runtime,
        source,
        prober,
        Sleeper.of(clock),
        settings.kubeconfig().map(Path::toAbsolutePath));
  }

  /** The runtime and endpoint a --container-runtime choice resolves to on this host. */
  public record Choice(String runtime, String endpoint) {}

  /**
   * Resolves `auto` as the kubelet's users expect: a CRI socket at the usual paths (containerd,
   * CRI-O), then Docker, then host processes. An explicit endpoint is used as given.
   */
  public static Choice resolve(String name, String endpoint) {
    String n = name.toLowerCase(Locale.ROOT);
    if (!RUNTIMES.contains(n)) {
      throw new IllegalArgumentException(
          "--container-runtime "
              + name
              + " is not known: use one of "
              + String.join(", ", RUNTIMES));
    }
    return switch (n) {
      case "cri" ->
          new Choice("cri", endpoint != null ? endpoint : CriRuntimeOptions.DEFAULT_ENDPOINT);
      case "docker" -> new Choice("docker", endpoint != null ? endpoint : DEFAULT_DOCKER_ENDPOINT);
      case "process" -> new Choice("process", "");
      default -> {
        List<String> cri =
            endpoint != null ? List.of(endpoint) : CriRuntimeOptions.WELL_KNOWN_ENDPOINTS;
        for (String candidate : cri) {
          if (CriContainerRuntime.available(candidate)) {
            yield new Choice("cri", candidate);
          }
        }
        String docker = endpoint != null ? endpoint : DEFAULT_DOCKER_ENDPOINT;
        yield DockerContainerRuntime.available(URI.create(docker))
            ? new Choice("docker", docker)
            : new Choice("process", "");
      }
    };
  }

  private static ContainerRuntime runtime(Settings settings, RunnerConfig config)
      throws InterruptedException {
    Choice choice = resolve(settings.runtime(), settings.runtimeEndpoint());
    return switch (choice.runtime()) {
      case "docker" ->
          new DockerContainerRuntime(
              DockerRuntimeOptions.of(config.stateDir())
                  .withEndpoint(URI.create(choice.endpoint()))
                  .withNetwork(settings.network())
                  .withPodInfraImage(settings.podInfraImage()));
      case "cri" ->
          new CriContainerRuntime(
              CriRuntimeOptions.of(config.stateDir())
                  .withEndpoint(choice.endpoint())
                  .withNetwork(settings.network()));
      default ->
          new HostProcessRuntime(
              new HostProcessOptions(config.stateDir(), config.binDirs(), config.clock()));
    };
  }
}
