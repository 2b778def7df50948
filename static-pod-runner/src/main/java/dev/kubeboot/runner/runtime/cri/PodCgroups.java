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
 * A pod's cgroup ({@code <root>/pod<uid>}, cgroupfs syntax) in every hierarchy: runc removes each
 * container's cgroup but leaves the pod's parent behind, so it is removed with the pod. Only empty
 * cgroups can go (rmdir); one that still holds a process is left and logged.
 */
final class PodCgroups {
  private static final Logger LOG = LoggerFactory.getLogger(PodCgroups.class);

  private final Path mountPoint;
  private final String root;

  PodCgroups(Path mountPoint, String root) {
    this.mountPoint = mountPoint;
    this.root = root;
  }

  /** The cgroup_parent given to the runtime for a pod. */
  String parentOf(String podUid) {
    return root + "/pod" + podUid;
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
