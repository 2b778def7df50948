package dev.kubeboot.runner;

import dev.kubeboot.runner.runtime.ContainerRuntime;
import dev.kubeboot.runner.runtime.ContainerStartException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * Pulls images into a container runtime the way the runner reaches it, so an image pulled ahead of
 * time is the one its static pods find there (the Docker engine's store, or the CRI runtime's
 * k8s.io namespace).
 */
public final class ImagePuller implements AutoCloseable {
  private final ContainerRuntime runtime;

  private ImagePuller(ContainerRuntime runtime) {
    this.runtime = runtime;
  }

  /**
   * Connects to the runtime {@code choice} names (resolve {@code auto} first with {@link
   * Runners#resolve}).
   *
   * @param stateDir the runner's state directory (the runtime keeps nothing there for a pull)
   * @throws IllegalArgumentException the choice is the process runtime, which keeps no images
   * @throws IllegalStateException the engine does not answer
   */
  public static ImagePuller open(Runners.RuntimeChoice choice, Path stateDir)
      throws InterruptedException {
    if (choice.runtime().equals("process")) {
      throw new IllegalArgumentException(
          "the process runtime runs host binaries and keeps no images: there is nothing to pull;"
              + " choose --container-runtime docker or cri");
    }
    return new ImagePuller(Runners.open(choice, stateDir, List.of(), Clock.systemUTC()));
  }

  /** "docker" or "cri". */
  public String runtime() {
    return runtime.name();
  }

  /**
   * Pulls {@code image}, as imagePullPolicy Always would.
   *
   * @throws ImagePullException the registry or the engine refused, or the pull timed out
   */
  public void pull(String image) throws ImagePullException, InterruptedException {
    try {
      runtime.pullImage(image);
    } catch (ContainerStartException e) {
      throw new ImagePullException(e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    runtime.close();
  }
}
