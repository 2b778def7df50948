package dev.kubeboot.runner.runtime;

import dev.kubeboot.runner.pod.Container;
import dev.kubeboot.runner.pod.StaticPod;
import dev.kubeboot.runner.pod.VolumeMount;
import dev.kubeboot.runner.pod.VolumeSource;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A container engine's view of a container's volume mounts (Docker binds, CRI mounts): the host side
 * checked (or created) as the kubelet's hostPath types require. An emptyDir is a directory under the
 * runtime's state dir, shared by the pod's containers.
 */
public final class EngineMounts {
  private static final Logger LOG = LoggerFactory.getLogger(EngineMounts.class);
  private static final int S_IFMT = 0170000;
  private static final int S_IFSOCK = 0140000;
  private static final int S_IFCHR = 0020000;
  private static final int S_IFBLK = 0060000;

  /** One mount as an engine takes it. */
  public record Mount(String hostPath, String containerPath, boolean readOnly) {}

  private final Path stateDir;
  private final String runtimeName;

  /** @param runtimeName named in errors ("the docker runtime supports only ...") */
  public EngineMounts(Path stateDir, String runtimeName) {
    this.stateDir = stateDir;
    this.runtimeName = runtimeName;
  }

  /** The pod's own directory under the state dir, removed with the pod. */
  public Path podDir(String namespace, String pod, String podUid) {
    return stateDir.resolve("pods").resolve(namespace + "_" + pod + "_" + podUid);
  }

  /** Where a pod's emptyDir volumes live. */
  public Path podVolumesDir(String namespace, String pod, String podUid) {
    return podDir(namespace, pod, podUid).resolve("volumes");
  }

  public List<Mount> prepare(StaticPod pod, Container container) throws ContainerStartException {
    List<Mount> mounts = new ArrayList<>();
    for (VolumeMount vm : container.volumeMounts()) {
      var volume =
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
                + "\" of pod "
                + pod.key()
                + ": mountPath \""
                + vm.mountPath()
                + "\" must be absolute");
      }
      Path hostPath =
          switch (volume.source()) {
            case VolumeSource.HostPath hp -> checkHostPath(pod, volume.name(), hp);
            case VolumeSource.EmptyDir e -> emptyDir(pod, volume.name());
            case VolumeSource.Unsupported u ->
                throw configError(
                    "volume \""
                        + volume.name()
                        + "\" of pod "
                        + pod.key()
                        + " is a "
                        + u.kind()
                        + " volume; the "
                        + runtimeName
                        + " runtime supports only hostPath and emptyDir volumes");
          };
      mounts.add(new Mount(hostPath.toString(), vm.mountPath(), vm.readOnly()));
    }
    return mounts;
  }

  private Path emptyDir(StaticPod pod, String name) throws ContainerStartException {
    Path dir = podVolumesDir(pod.key().namespace(), pod.key().name(), pod.uid()).resolve(name);
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

  private static Path checkHostPath(StaticPod pod, String volume, VolumeSource.HostPath hp)
      throws ContainerStartException {
    Path path = Path.of(hp.path());
    String where = "hostPath volume \"" + volume + "\" of pod " + pod.key() + ": " + path;
    try {
      switch (hp.type()) {
        // Unchecked, as the kubelet; Docker then creates a missing source as a directory.
        case "" -> {}
        case "DirectoryOrCreate" -> {
          if (!Files.exists(path)) {
            Files.createDirectories(path);
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
            LOG.info("created directory {} for a DirectoryOrCreate hostPath volume", path);
          } else if (!Files.isDirectory(path)) {
            throw configError(where + " exists but is not a directory (type DirectoryOrCreate)");
          }
        }
        case "Directory" -> {
          if (!Files.isDirectory(path)) {
            throw configError(where + " is not an existing directory (type Directory): create it");
          }
        }
        case "FileOrCreate" -> {
          if (!Files.exists(path)) {
            createEmptyFile(path, where);
          } else if (Files.isDirectory(path)) {
            throw configError(where + " is a directory, not a file (type FileOrCreate)");
          }
        }
        case "File" -> {
          if (!Files.isRegularFile(path)) {
            throw configError(where + " is not an existing file (type File): create it");
          }
        }
        case "Socket" -> requireKind(path, S_IFSOCK, "a socket", hp.type(), where);
        case "CharDevice" -> requireKind(path, S_IFCHR, "a character device", hp.type(), where);
        case "BlockDevice" -> requireKind(path, S_IFBLK, "a block device", hp.type(), where);
        default ->
            throw configError(
                where
                    + ": unknown hostPath type \""
                    + hp.type()
                    + "\" (use DirectoryOrCreate, Directory, FileOrCreate, File, Socket,"
                    + " CharDevice or BlockDevice)");
      }
    } catch (IOException e) {
      throw new ContainerStartException(
          "CreateContainerConfigError", where + ": " + e.getMessage(), e);
    }
    return path;
  }

  private static void createEmptyFile(Path path, String where)
      throws IOException, ContainerStartException {
    // As the kubelet: FileOrCreate creates the file, never its parent directory.
    if (path.getParent() != null && !Files.isDirectory(path.getParent())) {
      throw configError(
          where
              + ": parent directory "
              + path.getParent()
              + " does not exist (type FileOrCreate creates only the file): create it");
    }
    try {
      Files.createFile(path);
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-r--r--"));
      LOG.info("created empty file {} for a FileOrCreate hostPath volume", path);
    } catch (FileAlreadyExistsException raced) {
      // Another container of the pod created it first.
    }
  }

  private static void requireKind(Path path, int kind, String what, String type, String where)
      throws ContainerStartException, IOException {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS) && !Files.exists(path)) {
      throw configError(where + " does not exist (type " + type + ")");
    }
    int mode = (Integer) Files.getAttribute(path, "unix:mode");
    if ((mode & S_IFMT) != kind) {
      throw configError(where + " is not " + what + " (type " + type + ")");
    }
  }

  private static ContainerStartException configError(String message) {
    return new ContainerStartException("CreateContainerConfigError", message);
  }
}
