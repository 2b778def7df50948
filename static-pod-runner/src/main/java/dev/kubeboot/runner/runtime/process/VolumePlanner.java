package dev.kubeboot.runner.runtime.process;

import dev.kubeboot.runner.pod.Container;
import dev.kubeboot.runner.pod.StaticPod;
import dev.kubeboot.runner.pod.Volume;
import dev.kubeboot.runner.pod.VolumeMount;
import dev.kubeboot.runner.pod.VolumeSource;
import dev.kubeboot.runner.runtime.ContainerStartException;
import dev.kubeboot.runner.runtime.HostPaths;
import dev.kubeboot.runner.runtime.MountedVolumes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a container's volumes ready on the host and says where each mount lives there. A host
 * process cannot be given a mount: hostPath volumes are used in place, emptyDirs are directories
 * under the volumes dir owned by the container's user, and readOnly cannot be enforced.
 */
final class VolumePlanner {
  private static final Logger LOG = LoggerFactory.getLogger(VolumePlanner.class);

  private final StateLayout layout;
  private final long runnerUid;

  VolumePlanner(StateLayout layout, long runnerUid) {
    this.layout = layout;
    this.runnerUid = runnerUid;
  }

  /** Checks hostPath types and creates what is missing (emptyDirs, *OrCreate paths). */
  List<Mount> prepare(StaticPod pod, Container container, ProcessIdentity user)
      throws ContainerStartException {
    return mounts(pod, container, user, true);
  }

  /**
   * Where the mounts of a container that already runs live, touching nothing: for a container
   * adopted from an earlier runner.
   */
  List<Mount> plan(StaticPod pod, Container container) throws ContainerStartException {
    return mounts(pod, container, null, false);
  }

  private List<Mount> mounts(StaticPod pod, Container container, ProcessIdentity user, boolean make)
      throws ContainerStartException {
    List<Mount> mounts = new ArrayList<>();
    for (VolumeMount vm : container.volumeMounts()) {
      Volume volume = MountedVolumes.volumeOf(pod, container, vm);
      Path hostPath =
          switch (volume.source()) {
            case VolumeSource.HostPath hp ->
                make ? HostPaths.check(pod, volume.name(), hp) : Path.of(hp.path());
            case VolumeSource.EmptyDir e ->
                make ? emptyDir(pod, container, volume.name(), user) : emptyDirPath(pod, volume);
            case VolumeSource.Unsupported u ->
                throw MountedVolumes.unsupported(pod, volume, u, "process");
          };
      mounts.add(new Mount(vm.mountPath(), hostPath));
    }
    return mounts;
  }

  private Path emptyDirPath(StaticPod pod, Volume volume) throws ContainerStartException {
    try {
      return layout.emptyDir(pod.key(), pod.uid(), volume.name());
    } catch (IllegalArgumentException e) {
      throw configError(
          "emptyDir volume \"" + volume.name() + "\" of pod " + pod.key() + ": " + e.getMessage());
    }
  }

  private Path emptyDir(StaticPod pod, Container container, String name, ProcessIdentity user)
      throws ContainerStartException {
    Path dir;
    try {
      dir = layout.emptyDir(pod.key(), pod.uid(), name);
    } catch (IllegalArgumentException e) {
      throw configError(
          "emptyDir volume \"" + name + "\" of pod " + pod.key() + ": " + e.getMessage());
    }
    try {
      long owner = layout.createEmptyDir(pod.key(), pod.uid(), name, user, runnerUid);
      if (owner != user.uid()) {
        LOG.warn(
            "emptyDir volume \"{}\" of pod {} belongs to uid {} (the container that made it);"
                + " container \"{}\" runs as uid {} and gets only the group's access (0750)",
            name,
            pod.key(),
            owner,
            container.name(),
            user.uid());
      }
    } catch (IOException e) {
      throw new ContainerStartException(
          "CreateContainerConfigError",
          "cannot create emptyDir volume \"" + name + "\" at " + dir + ": " + e.getMessage(),
          e);
    }
    return dir;
  }

  private static ContainerStartException configError(String message) {
    return MountedVolumes.configError(message);
  }
}
