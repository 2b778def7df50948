package dev.kubeboot.runner.runtime.process;

import dev.kubeboot.runner.pod.PodKey;
import dev.kubeboot.runner.runtime.ContainedPath;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Where the process runtime keeps its files, and with which modes. Paths built from manifest names
 * go through {@link ContainedPath}, so none leaves its root.
 *
 * <pre>
 * &lt;state&gt;/                                       0700: nothing in it is for other users
 * &lt;state&gt;/containers/&lt;id&gt;.json                    0700 dir, 0600 pid files
 * &lt;state&gt;/pods/&lt;ns&gt;_&lt;pod&gt;_&lt;uid&gt;/&lt;container&gt;/   0750 dirs (the kubelet's /var/log/pods)
 *     &lt;attempt&gt;.log                                 0640 container output
 * &lt;volumes&gt;/&lt;ns&gt;_&lt;pod&gt;_&lt;uid&gt;/                    0711: passable, not listable
 *     &lt;volume&gt;/                                     0750 emptyDir, owned by the pod's user
 * </pre>
 *
 * EmptyDirs live outside the state dir: a host process sees no mount, so a container running as
 * another user must pass through every directory above its emptyDir, and the state dir stays
 * closed.
 */
final class StateLayout {
  static final Set<PosixFilePermission> PRIVATE_DIR = PosixFilePermissions.fromString("rwx------");
  static final Set<PosixFilePermission> LOG_DIR = PosixFilePermissions.fromString("rwxr-x---");
  static final Set<PosixFilePermission> LOG_FILE = PosixFilePermissions.fromString("rw-r-----");
  static final Set<PosixFilePermission> PASSAGE_DIR = PosixFilePermissions.fromString("rwx--x--x");
  static final Set<PosixFilePermission> EMPTY_DIR = PosixFilePermissions.fromString("rwxr-x---");
  private static final int STICKY = 01000;

  private final Path root;
  private final Path volumes;

  StateLayout(Path stateDir, Path volumesDir) {
    this.root = stateDir.toAbsolutePath().normalize();
    this.volumes = volumesDir.toAbsolutePath().normalize();
  }

  Path stateDir() {
    return root;
  }

  Path volumesDir() {
    return volumes;
  }

  Path containersDir() {
    return root.resolve("containers");
  }

  Path pidFile(String containerId) {
    return ContainedPath.under(containersDir(), containerId + ".json");
  }

  Path logsDir() {
    return root.resolve("pods");
  }

  /**
   * @throws IllegalArgumentException a name or the uid would lead outside the logs dir
   */
  Path podLogDir(PodKey pod, String podUid) {
    return ContainedPath.podDir(logsDir(), pod, podUid);
  }

  /**
   * @throws IllegalArgumentException a name or the uid would lead outside the logs dir
   */
  Path logFile(PodKey pod, String podUid, String container, int attempt) {
    return ContainedPath.under(podLogDir(pod, podUid), container, attempt + ".log");
  }

  /**
   * @throws IllegalArgumentException a name or the uid would lead outside the volumes dir
   */
  Path podVolumesDir(PodKey pod, String podUid) {
    return ContainedPath.podDir(volumes, pod, podUid);
  }

  /**
   * @throws IllegalArgumentException a name or the uid would lead outside the volumes dir
   */
  Path emptyDir(PodKey pod, String podUid, String volume) {
    return ContainedPath.under(podVolumesDir(pod, podUid), volume);
  }

  /**
   * Creates the state dir (0700) if missing, or closes one that exists with a looser mode (one an
   * older runner or {@code mkdir} made).
   *
   * @return true when the mode of an existing state dir was changed
   * @throws IOException the state dir is not a directory, is shared (sticky, as /tmp) or belongs to
   *     another user: the runner does not take over such a directory
   */
  boolean createStateDir(long runnerUid) throws IOException {
    if (!Files.exists(root)) {
      Files.createDirectories(root.getParent());
      directory(root, PRIVATE_DIR, runnerUid);
      return false;
    }
    if (!Files.isDirectory(root)) {
      throw new IOException("state dir " + root + " is not a directory");
    }
    if (Files.getPosixFilePermissions(root).equals(PRIVATE_DIR)) {
      return false;
    }
    int mode = (Integer) Files.getAttribute(root, "unix:mode");
    if ((mode & STICKY) != 0) {
      throw new IOException(
          "state dir "
              + root
              + " is a shared directory (mode "
              + Integer.toOctalString(mode & 07777)
              + "): give the runner a directory of its own, which it keeps at 0700");
    }
    requireOwner(root, runnerUid);
    Files.setPosixFilePermissions(root, PRIVATE_DIR);
    return true;
  }

  /** Creates the pid-file directory (0700) if missing. */
  void createContainersDir(long runnerUid) throws IOException {
    directory(containersDir(), PRIVATE_DIR, runnerUid);
  }

  /**
   * Creates a container attempt's log file (0640, in 0750 directories) if missing, and returns it.
   *
   * @throws IllegalArgumentException a name or the uid would lead outside the logs dir
   */
  Path createLogFile(PodKey pod, String podUid, String container, int attempt, long runnerUid)
      throws IOException {
    Path file = logFile(pod, podUid, container, attempt);
    directory(logsDir(), LOG_DIR, runnerUid);
    directory(podLogDir(pod, podUid), LOG_DIR, runnerUid);
    directory(file.getParent(), LOG_DIR, runnerUid);
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(LOG_FILE));
    } catch (FileAlreadyExistsException e) {
      // The same attempt again (a runner that crashed while starting it): append to it.
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        throw new IOException("log file " + file + " exists and is not a regular file", e);
      }
    }
    Files.setPosixFilePermissions(file, LOG_FILE);
    return file;
  }

  /**
   * Creates a pod's emptyDir (0750, owned by {@code owner}) below passable directories (0711) if
   * missing.
   *
   * @return the uid owning the emptyDir, which differs from {@code owner} when another container of
   *     the pod, running as another user, created it first
   * @throws IllegalArgumentException a name or the uid would lead outside the volumes dir
   */
  long createEmptyDir(
      PodKey pod, String podUid, String volume, ProcessIdentity owner, long runnerUid)
      throws IOException {
    Path dir = emptyDir(pod, podUid, volume);
    Files.createDirectories(volumes.getParent());
    directory(volumes, PASSAGE_DIR, runnerUid);
    directory(dir.getParent(), PASSAGE_DIR, runnerUid);
    try {
      Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(EMPTY_DIR));
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        throw new IOException(dir + " exists and is not a directory: remove it", e);
      }
      return ((Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS));
    }
    Files.setPosixFilePermissions(dir, EMPTY_DIR);
    if (owner.switched()) {
      Files.setAttribute(dir, "unix:gid", (int) owner.gid(), LinkOption.NOFOLLOW_LINKS);
      Files.setAttribute(dir, "unix:uid", (int) owner.uid(), LinkOption.NOFOLLOW_LINKS);
    }
    return owner.uid();
  }

  /**
   * Creates {@code dir} with {@code mode} if missing; sets the mode of one that exists (the
   * runner's own directories, which an older runner may have made looser). The umask plays no part.
   *
   * @throws IOException {@code dir} exists and is not a directory (a link, a file), or another user
   *     owns it
   */
  private static void directory(Path dir, Set<PosixFilePermission> mode, long runnerUid)
      throws IOException {
    try {
      Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(mode));
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        throw new IOException(dir + " exists and is not a directory: remove it", e);
      }
      requireOwner(dir, runnerUid);
    }
    if (!Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS).equals(mode)) {
      Files.setPosixFilePermissions(dir, mode);
    }
  }

  private static void requireOwner(Path dir, long runnerUid) throws IOException {
    int uid = (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    if (uid != runnerUid) {
      throw new IOException(
          dir
              + " belongs to uid "
              + uid
              + ", not to the runner (uid "
              + runnerUid
              + "): it may have been planted; remove it");
    }
  }
}
