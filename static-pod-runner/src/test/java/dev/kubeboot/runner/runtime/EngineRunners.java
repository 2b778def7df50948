package dev.kubeboot.runner.runtime;

import dev.kubeboot.runner.RunnerConfig;
import dev.kubeboot.runner.StaticPodRunner;
import dev.kubeboot.runner.manifest.DirectoryManifestSource;
import dev.kubeboot.runner.probe.DefaultProber;
import dev.kubeboot.runner.worker.Sleeper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * The real runner over a manifest directory with a runtime the test built (Docker or CRI), as the
 * engine ITs start it: what {@code Runners} does for a spec, with the runtime chosen by the test.
 */
public final class EngineRunners {
  private EngineRunners() {}

  /**
   * Node node1 at {@code nodeIp}, manifests in {@code dir}/manifests, state in {@code dir}/state,
   * the status server on a free loopback port.
   */
  public static RunnerConfig config(Path dir, String nodeIp) {
    return RunnerConfig.of(dir.resolve("manifests"), "node1", nodeIp, dir.resolve("state"))
        .withStatusAddress(new InetSocketAddress("127.0.0.1", 0));
  }

  /** Starts {@code config}'s runner over {@code runtime}, probing at the node IP. */
  public static StaticPodRunner start(RunnerConfig config, ContainerRuntime runtime)
      throws IOException, InterruptedException {
    return StaticPodRunner.start(
        config,
        runtime,
        new DirectoryManifestSource(
            config.manifestPath(), config.nodeName(), config.fileCheckFrequency(), config.clock()),
        new DefaultProber(runtime, config.nodeIP(), "1.34"),
        Sleeper.of(config.clock()));
  }
}
