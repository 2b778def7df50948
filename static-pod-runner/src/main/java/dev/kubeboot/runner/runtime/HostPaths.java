package dev.kubeboot.runner.runtime;

import dev.kubeboot.runner.pod.StaticPod;
import dev.kubeboot.runner.pod.VolumeSource;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet's hostPath volume types, checked (or the path created) on the host before a container
 * starts; every runtime goes through here.
 */
public final class HostPaths {
  private static final Logger LOG = LoggerFactory.getLogger(HostPaths.class);
  private static final int S_IFMT = 0170000;
  private static final int S_IFSOCK = 0140000;
  private static final int S_IFCHR = 0020000;
  private static final int S_IFBLK = 0060000;

  private HostPaths() {}

  public static Path check(StaticPod pod, String volume, VolumeSource.HostPath hp)
      throws ContainerStartException {
    Path path = Path.of(hp.path());
    String where = "hostPath volume \"" + volume + "\" of pod " + pod.key() + ": " + path;
    try {
      switch (hp.type()) {
        // Unchecked, as the kubelet (Docker then creates a missing source as a directory).
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
