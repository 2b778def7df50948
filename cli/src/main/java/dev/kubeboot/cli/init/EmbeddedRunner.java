package dev.kubeboot.cli.init;

import dev.kubeboot.runner.RunnerConfig;
import dev.kubeboot.runner.StaticPodRunner;
import dev.kubeboot.runner.manifest.DirectoryManifestSource;
import dev.kubeboot.runner.probe.DefaultProber;
import dev.kubeboot.runner.runtime.ContainerRuntime;
import dev.kubeboot.runner.runtime.HostProcessOptions;
import dev.kubeboot.runner.runtime.HostProcessRuntime;
import dev.kubeboot.runner.worker.Sleeper;
import dev.kubeboot.runner.runtime.docker.DockerContainerRuntime;
import dev.kubeboot.runner.runtime.docker.DockerRuntimeOptions;
import java.io.IOException;
import java.net.URI;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** Wires a static-pod runner from the CLI's settings: one place for `kubeboot runner` and `init --foreground`. */
public final class EmbeddedRunner {
  private EmbeddedRunner() {}

  /**
   * What a runner needs from the command line.
   *
   * @param runtime "process", "docker" or "auto" (Docker when its socket answers, else host processes)
   * @param runtimeEndpoint the container engine's socket, e.g. unix:///var/run/docker.sock
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
      String kubernetesVersion) {
    public Settings {
      binDirs = List.copyOf(binDirs);
    }
  }

  /** Runtime names `--container-runtime` accepts. */
  public static final List<String> RUNTIMES = List.of("auto", "process", "docker");

  public static final String DEFAULT_DOCKER_ENDPOINT = "unix:///var/run/docker.sock";

  public static StaticPodRunner start(Settings settings) throws IOException, InterruptedException {
    Path state = settings.stateDir().toAbsolutePath();
    Files.createDirectories(state);
    Clock clock = Clock.systemUTC();
    var config =
        RunnerConfig.of(settings.manifestPath().toAbsolutePath(), settings.nodeName(), settings.nodeIp(), state)
            .withStatusAddress(new InetSocketAddress("127.0.0.1", settings.statusPort()))
            .withFileCheckFrequency(settings.fileCheckFrequency())
            .withBinDirs(settings.binDirs())
            .withClock(clock);
    ContainerRuntime runtime = runtime(settings, config);
    config = config.withRuntime(runtime.name());
    var source = new DirectoryManifestSource(config.manifestPath(), settings.nodeName(), settings.fileCheckFrequency(), clock);
    var prober = new DefaultProber(runtime, settings.nodeIp(), settings.kubernetesVersion());
    return StaticPodRunner.start(config, runtime, source, prober, Sleeper.of(clock));
  }

  /** The runtime `auto` resolves to on this host. */
  public static String resolve(String name, String endpoint) {
    String n = name.toLowerCase(Locale.ROOT);
    if (n.equals("auto")) {
      return DockerContainerRuntime.available(URI.create(endpoint)) ? "docker" : "process";
    }
    if (!RUNTIMES.contains(n)) {
      throw new IllegalArgumentException("--container-runtime " + name + " is not known: use one of " + String.join(", ", RUNTIMES));
    }
    return n;
  }

  private static ContainerRuntime runtime(Settings settings, RunnerConfig config) throws InterruptedException {
    String endpoint = settings.runtimeEndpoint() == null ? DEFAULT_DOCKER_ENDPOINT : settings.runtimeEndpoint();
    return switch (resolve(settings.runtime(), endpoint)) {
      case "docker" -> new DockerContainerRuntime(DockerRuntimeOptions.of(config.stateDir()).withEndpoint(URI.create(endpoint)));
      default -> new HostProcessRuntime(new HostProcessOptions(config.stateDir(), config.binDirs(), config.clock()));
    };
  }
}
