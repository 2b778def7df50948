package dev.kubeboot.runner.runtime.process;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Finds a component binary: the {@code --bin-dir}s first, then PATH. */
final class ExecutableResolver {
  private final List<Path> binDirs;

  ExecutableResolver(List<Path> binDirs) {
    this.binDirs = List.copyOf(binDirs);
  }

  /**
   * @param name a bare name, or a path: an absolute path that does not exist on the host is looked
   *     up by its file name (a manifest written for an image, {@code /usr/local/bin/etcd})
   * @param pathVariable the PATH to search after the bin dirs
   */
  Optional<Path> resolve(String name, String pathVariable) {
    if (name.isEmpty()) {
      return Optional.empty();
    }
    if (name.contains("/")) {
      Path direct = Path.of(name);
      if (isExecutable(direct)) {
        return Optional.of(direct);
      }
      if (!direct.isAbsolute() || direct.getFileName() == null) {
        return Optional.empty();
      }
      return search(direct.getFileName().toString(), pathVariable);
    }
    return search(name, pathVariable);
  }

  List<Path> searchPath(String pathVariable) {
    List<Path> dirs = new ArrayList<>(binDirs);
    for (String dir : pathVariable.split(":")) {
      if (!dir.isEmpty()) {
        dirs.add(Path.of(dir));
      }
    }
    return dirs;
  }

  private Optional<Path> search(String name, String pathVariable) {
    return searchPath(pathVariable).stream()
        .map(dir -> dir.resolve(name))
        .filter(ExecutableResolver::isExecutable)
        .findFirst();
  }

  private static boolean isExecutable(Path p) {
    return Files.isRegularFile(p) && Files.isExecutable(p);
  }

  /**
   * The binary a container runs when its manifest gives no {@code command}: the last path segment
   * of the image repository, without tag or digest ({@code registry.k8s.io/etcd:3.5.21-0} -> {@code
   * etcd}).
   */
  static String binaryForImage(String image) {
    String repo = image;
    int at = repo.indexOf('@');
    if (at >= 0) {
      repo = repo.substring(0, at);
    }
    int slash = repo.lastIndexOf('/');
    String last = repo.substring(slash + 1);
    int colon = last.indexOf(':');
    return colon >= 0 ? last.substring(0, colon) : last;
  }
}
