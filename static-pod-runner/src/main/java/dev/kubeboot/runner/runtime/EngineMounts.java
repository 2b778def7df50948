package dev.kubeboot.runner.runtime;

import dev.kubeboot.runner.pod.Container;
import dev.kubeboot.runner.pod.PodKey;
import dev.kubeboot.runner.pod.StaticPod;
import dev.kubeboot.runner.pod.Volume;
import dev.kubeboot.runner.pod.VolumeMount;
import dev.kubeboot.runner.pod.VolumeSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * A container engine's view of a container's volume mounts (Docker binds, CRI mounts): the host
 * side checked (or created) as the kubelet's hostPath types require. An emptyDir is a directory
 * under the runtime's state dir, shared by the pod's containers.
 */
public final class EngineMounts {

  /** One mount as an engine takes it. */
  public record Mount(String hostPath, String containerPath, boolean readOnly) {}

  private final Path stateDir;
  private final String runtimeName;

  /**
   * @param runtimeName named in errors ("the docker runtime supports only ...")
   */
  public EngineMounts(Path stateDir, String runtimeName) {
    this.stateDir = stateDir;
    this.runtimeName = runtimeName;
  }

  /**
   * The pod's own directory under the state dir, removed with the pod.
   *
   * @throws IllegalArgumentException a name or the uid would lead outside {@code <state>/pods}
   */
  public Path podDir(PodKey pod, String podUid) {
    return ContainedPath.podDir(stateDir.resolve("pods"), pod, podUid);
  }

  /** Where a pod's emptyDir volumes live. */
  public Path podVolumesDir(PodKey pod, String podUid) {
    return podDir(pod, podUid).resolve("volumes");
  }

  /**
   * Deletes the pod's directory and its emptyDirs, never following a link a container planted.
   *
   * @throws IllegalArgumentException as {@link #podDir}
   */
  public void deletePodDir(PodKey pod, String podUid) throws IOException {
    DirectoryTrees.delete(stateDir.resolve("pods"), podDir(pod, podUid));
  }

  public List<Mount> prepare(StaticPod pod, Container container) throws ContainerStartException {
    List<Mount> mounts = new ArrayList<>();
    for (VolumeMount vm : container.volumeMounts()) {
      Volume volume = MountedVolumes.volumeOf(pod, container, vm);
      Path hostPath =
          switch (volume.source()) {
            case VolumeSource.HostPath hp -> HostPaths.check(pod, volume.name(), hp);
            case VolumeSource.EmptyDir e -> emptyDir(pod, volume.name());
            case VolumeSource.Unsupported u ->
                throw MountedVolumes.unsupported(pod, volume, u, runtimeName);
          };
      mounts.add(new Mount(hostPath.toString(), vm.mountPath(), vm.readOnly()));
    }
    return mounts;
  }

  private Path emptyDir(StaticPod pod, String name) throws ContainerStartException {
    Path dir;
    try {
      dir = ContainedPath.under(podVolumesDir(pod.key(), pod.uid()), name);
    } catch (IllegalArgumentException e) {
      throw configError(
          "emptyDir volume \"" + name + "\" of pod " + pod.key() + ": " + e.getMessage());
    }
    try {
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir);
        // World-writable as the kubelet makes it: a container running as any user can use it.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
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
