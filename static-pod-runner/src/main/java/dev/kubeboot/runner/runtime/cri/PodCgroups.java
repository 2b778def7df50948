package dev.kubeboot.runner.runtime.cri;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pod's cgroup in every hierarchy, named as the kubelet names it for its cgroup driver: {@code
 * <root>/pod<uid>} with cgroupfs; with systemd, the slice {@code <root>-pod<uid>.slice} (dashes in
 * the parts become underscores) expanded to its path, {@code /<root>.slice/<root>-pod<uid>.slice}.
 * runc removes each container's cgroup but leaves the pod's parent behind, so it is removed with
 * the pod. Only empty cgroups can go (rmdir); one that still holds a process is left and logged.
 */
final class PodCgroups {
  private static final Logger LOG = LoggerFactory.getLogger(PodCgroups.class);

  private final Path mountPoint;
  private final String root;
  private final CgroupDriver driver;

  PodCgroups(Path mountPoint, String root) {
    this(mountPoint, root, CgroupDriver.CGROUPFS);
  }

  PodCgroups(Path mountPoint, String root, CgroupDriver driver) {
    this.mountPoint = mountPoint;
    this.root = root;
    this.driver = driver;
  }

  /** The cgroup_parent given to the runtime for a pod, as the kubelet gives it. */
  String parentOf(String podUid) {
    return switch (driver) {
      case CGROUPFS -> root + "/pod" + podUid;
      case SYSTEMD -> systemdPath(root, "pod" + podUid);
    };
  }

  /**
   * The kubelet's systemd form of a cgroup name: the parts (those of {@code root}, then {@code
   * leaf}) with dashes escaped as underscores, joined by dashes into a slice name, expanded into
   * the path of its parent slices, as systemd nests {@code a-b.slice} under {@code a.slice}.
   */
  static String systemdPath(String root, String leaf) {
    List<String> parts = new ArrayList<>();
    for (String p : root.split("/")) {
      if (!p.isEmpty()) {
        parts.add(p.replace('-', '_'));
      }
    }
    parts.add(leaf.replace('-', '_'));
    StringBuilder path = new StringBuilder();
    StringBuilder prefix = new StringBuilder();
    for (String part : parts) {
      if (!prefix.isEmpty()) {
        prefix.append('-');
      }
      prefix.append(part);
      path.append('/').append(prefix).append(".slice");
    }
    return path.toString();
  }

  /** Where the pod's cgroup lives on the host: one directory per v1 controller, or one for v2. */
  List<Path> directories(String podUid) {
    String relative = parentOf(podUid).substring(1);
    List<Path> dirs = new ArrayList<>();
    if (Files.exists(mountPoint.resolve("cgroup.controllers"))) {
      dirs.add(mountPoint.resolve(relative));
      return dirs;
    }
    try (DirectoryStream<Path> controllers = Files.newDirectoryStream(mountPoint)) {
      for (Path controller : controllers) {
        // Skip the comma-joined aliases' symlinks (cpu -> cpu,cpuacct): the real dir is listed too.
        if (Files.isDirectory(controller) && !Files.isSymbolicLink(controller)) {
          dirs.add(controller.resolve(relative));
        }
      }
    } catch (IOException e) {
      LOG.debug("cannot list cgroup hierarchies under {}: {}", mountPoint, e.getMessage());
    }
    return dirs;
  }

  /** Removes the pod's cgroups that exist and are empty; returns the ones left behind. */
  List<Path> remove(String podUid) {
    List<Path> left = new ArrayList<>();
    for (Path dir : directories(podUid)) {
      if (!Files.isDirectory(dir)) {
        continue;
      }
      // Deepest first: container cgroups a runtime left inside go before the pod's own.
      try (Stream<Path> walk = Files.walk(dir)) {
        for (Path d : walk.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(d);
        }
      } catch (IOException e) {
        LOG.warn("cannot remove pod cgroup {}: {}", dir, e.toString());
        left.add(dir);
      }
    }
    return left;
  }
}
