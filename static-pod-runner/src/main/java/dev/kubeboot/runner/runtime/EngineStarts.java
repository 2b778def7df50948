package dev.kubeboot.runner.runtime;

import dev.kubeboot.runner.pod.Container;
import dev.kubeboot.runner.pod.StaticPod;

/**
 * The steps around starting a container that the runtimes running images (CRI and Docker) share:
 * {@code imagePullPolicy} applied the kubelet's way, and the failures of create and start worded
 * alike, so users read the same whichever engine runs the pod; each runtime brings only its engine
 * calls.
 */
public final class EngineStarts {
  private EngineStarts() {}

  /** How one runtime pulls an image; {@code failure} starts the message of any ErrImagePull. */
  @FunctionalInterface
  public interface Puller {
    void pull(String image, String failure) throws ContainerStartException, InterruptedException;
  }

  /**
   * Makes sure {@code container}'s image is there before it is created: pulls it if the policy is
   * Always, or IfNotPresent and it is absent; fails as "ErrImageNeverPull" if the policy is Never
   * and it is absent.
   *
   * @param present whether the runtime holds the image now
   * @param remedy how to put an image into this runtime by hand, for the Never failure
   */
  public static void ensure(
      StaticPod pod, Container container, boolean present, String remedy, Puller puller)
      throws ContainerStartException, InterruptedException {
    switch (container.imagePullPolicy()) {
      case NEVER -> {
        if (!present) {
          throw new ContainerStartException(
              "ErrImageNeverPull",
              "Container image \""
                  + container.image()
                  + "\" is not present with pull policy of Never (container \""
                  + container.name()
                  + "\" of pod "
                  + pod.key()
                  + "): "
                  + remedy);
        }
      }
      case IF_NOT_PRESENT -> {
        if (!present) {
          pullFor(pod, container, puller);
        }
      }
      case ALWAYS -> pullFor(pod, container, puller);
    }
  }

  /** Pulls {@code image} on its own (not for a container), as {@code pullImage} asks. */
  public static void pull(String image, Puller puller)
      throws ContainerStartException, InterruptedException {
    puller.pull(image, "failed to pull image \"" + image + "\": ");
  }

  private static void pullFor(StaticPod pod, Container container, Puller puller)
      throws ContainerStartException, InterruptedException {
    puller.pull(
        container.image(),
        "failed to pull image \""
            + container.image()
            + "\" for container \""
            + container.name()
            + "\" of pod "
            + pod.key()
            + ": ");
  }

  /**
   * "CreateContainerError": the runtime refused to create {@code container}, for {@code why} (the
   * runtime's own message).
   */
  public static ContainerStartException createFailed(
      StaticPod pod, Container container, String why, Throwable cause) {
    return failed("CreateContainerError", "cannot create", pod, container, why, cause);
  }

  /**
   * "RunContainerError": the runtime created {@code container} but could not start it, for {@code
   * why} (the runtime's own message).
   */
  public static ContainerStartException startFailed(
      StaticPod pod, Container container, String why, Throwable cause) {
    return failed("RunContainerError", "cannot start", pod, container, why, cause);
  }

  private static ContainerStartException failed(
      String reason, String what, StaticPod pod, Container container, String why, Throwable cause) {
    return new ContainerStartException(
        reason,
        what
            + " container \""
            + container.name()
            + "\" of pod "
            + pod.key()
            + " (image "
            + container.image()
            + "): "
            + why,
        cause);
  }
}
