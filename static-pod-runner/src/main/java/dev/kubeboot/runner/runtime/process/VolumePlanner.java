package dev.kubeboot.runner.runtime.process;

import dev.kubeboot.runner.pod.Container;
import dev.kubeboot.runner.pod.StaticPod;
import dev.kubeboot.runner.pod.Volume;
import dev.kubeboot.runner.pod.VolumeMount;
import dev.kubeboot.runner.pod.VolumeSource;
import dev.kubeboot.runner.runtime.ContainerStartException;
import dev.kubeboot.runner.runtime.HostPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes a container's volumes ready on the host and says where each mount lives there. A host
 * process cannot be given a mount: hostPath volumes are used in place, emptyDirs are directories
 * under the state dir, and readOnly cannot be enforced.
 */
final class VolumePlanner {

  private final StateLayout layout;

  VolumePlanner(StateLayout layout) {
    this.layout = layout;
  }

  List<Mount> prepare(StaticPod pod, Container container) throws ContainerStartException {
    List<Mount> mounts = new ArrayList<>();
    for (VolumeMount vm : container.volumeMounts()) {
      Volume volume =
          pod.spec()
              .volume(vm.name())
              .orElseThrow(
                  () ->
                      configError(
                          "container \""
                              + container.name()
                              + "\" of pod "
                              + pod.key()
                              + " mounts volume \""
                              + vm.name()
                              + "\", which the pod does not declare in spec.volumes"));
      if (!vm.mountPath().startsWith("/")) {
        throw configError(
            "volumeMount \""
                + vm.name()
                + "\" of container \""
                + container.name()
                + "\": mountPath \""
                + vm.mountPath()
                + "\" must be absolute");
      }
      Path hostPath =
          switch (volume.source()) {
            case VolumeSource.HostPath hp -> HostPaths.check(pod, volume.name(), hp);
            case VolumeSource.EmptyDir e -> emptyDir(pod, volume.name());
            case VolumeSource.Unsupported u ->
                throw configError(
                    "volume \""
                        + volume.name()
                        + "\" of pod "
                        + pod.key()
                        + " is a "
                        + u.kind()
                        + " volume; the process runtime supports only hostPath and emptyDir"
                        + " volumes");
          };
      mounts.add(new Mount(vm.mountPath(), hostPath));
    }
    return mounts;
  }

  private Path emptyDir(StaticPod pod, String name) throws ContainerStartException {
    Path dir = layout.podVolumesDir(pod.key(), pod.uid()).resolve(name);
    try {
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir);
        // The kubelet makes emptyDirs world-writable: a container running as any user can use it.
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
    return new ContainerStartException("CreateContainerConfigError", message);
  }
}
