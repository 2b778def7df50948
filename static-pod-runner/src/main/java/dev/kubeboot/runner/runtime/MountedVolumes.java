package dev.kubeboot.runner.runtime;

import dev.kubeboot.runner.pod.Container;
import dev.kubeboot.runner.pod.StaticPod;
import dev.kubeboot.runner.pod.Volume;
import dev.kubeboot.runner.pod.VolumeMount;
import dev.kubeboot.runner.pod.VolumeSource;

/**
 * A container's volumeMount checked against its pod as every runtime checks it before it makes the
 * volume ready, so that the engines and the process runtime refuse a bad spec in the same words
 * ("CreateContainerConfigError").
 */
public final class MountedVolumes {
  private MountedVolumes() {}

  /**
   * The pod volume {@code mount} names.
   *
   * @throws ContainerStartException the pod declares no such volume, or the mountPath is relative
   */
  public static Volume volumeOf(StaticPod pod, Container container, VolumeMount mount)
      throws ContainerStartException {
    Volume volume =
        pod.spec()
            .volume(mount.name())
            .orElseThrow(
                () ->
                    configError(
                        "container \""
                            + container.name()
                            + "\" of pod "
                            + pod.key()
                            + " mounts volume \""
                            + mount.name()
                            + "\", which the pod does not declare in spec.volumes"));
    if (!mount.mountPath().startsWith("/")) {
      throw configError(
          "volumeMount \""
              + mount.name()
              + "\" of container \""
              + container.name()
              + "\" of pod "
              + pod.key()
              + ": mountPath \""
              + mount.mountPath()
              + "\" must be absolute");
    }
    return volume;
  }

  /** The failure for a volume of a kind no runtime here supports. */
  public static ContainerStartException unsupported(
      StaticPod pod, Volume volume, VolumeSource.Unsupported source, String runtimeName) {
    return configError(
        "volume \""
            + volume.name()
            + "\" of pod "
            + pod.key()
            + " is a "
            + source.kind()
            + " volume; the "
            + runtimeName
            + " runtime supports only hostPath and emptyDir volumes");
  }

  /** A spec this runtime cannot run, the kubelet's "CreateContainerConfigError". */
  public static ContainerStartException configError(String message) {
    return new ContainerStartException("CreateContainerConfigError", message);
  }
}
