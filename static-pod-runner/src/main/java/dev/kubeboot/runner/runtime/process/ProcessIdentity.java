package dev.kubeboot.runner.runtime.process;

import dev.kubeboot.runner.pod.SecurityContext;
import dev.kubeboot.runner.runtime.ContainerStartException;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Who a container's processes run as: its main process, its exec probes and its exec hooks alike.
 *
 * @param uid the user
 * @param gid the group; -1 when the runner's own identity is kept
 * @param switched true when {@code setpriv} puts the process into this identity, with no
 *     supplementary groups and no new privileges (a setuid binary cannot lift it back to root);
 *     false when the process keeps the runner's identity
 */
record ProcessIdentity(long uid, long gid, boolean switched) {

  /** The runner's own identity: a container that asks for no user. */
  static ProcessIdentity runner(long runnerUid) {
    return new ProcessIdentity(runnerUid, -1, false);
  }

  /**
   * The identity a security context asks for. A user without a group gets that user's primary group
   * from the host's passwd, never group 0.
   *
   * @param container named in errors: {@code container "x" of pod ns/name}
   * @return empty when the context asks for nothing that differs from the runner's identity
   * @throws ContainerStartException runAsUser names a user without a passwd entry and no runAsGroup
   *     is given, or the passwd file cannot be read
   */
  static Optional<ProcessIdentity> requested(
      SecurityContext context, long runnerUid, Passwd passwd, String container)
      throws ContainerStartException {
    Optional<Long> user = context.runAsUser();
    Optional<Long> group = context.runAsGroup();
    if (group.isEmpty() && user.map(u -> u == runnerUid).orElse(true)) {
      return Optional.empty();
    }
    long uid = user.orElse(runnerUid);
    if (group.isPresent()) {
      return Optional.of(new ProcessIdentity(uid, group.get(), true));
    }
    Optional<Long> primary;
    try {
      primary = passwd.primaryGroup(uid);
    } catch (IOException e) {
      throw new ContainerStartException(
          "CreateContainerConfigError",
          container
              + ": runAsUser "
              + uid
              + " without runAsGroup, and "
              + passwd.file()
              + " cannot be read for its primary group: "
              + e.getMessage(),
          e);
    }
    return Optional.of(
        new ProcessIdentity(
            uid,
            primary.orElseThrow(
                () ->
                    new ContainerStartException(
                        "CreateContainerConfigError",
                        container
                            + ": runAsUser "
                            + uid
                            + " has no entry in "
                            + passwd.file()
                            + ", so its primary group is unknown: set"
                            + " securityContext.runAsGroup (the runner never falls back to group"
                            + " 0)")),
            true));
  }

  /** The words that put a command into this identity, to put before it; none when not switched. */
  List<String> setpriv(String setprivPath) {
    if (!switched) {
      return List.of();
    }
    return List.of(
        setprivPath, "--reuid=" + uid, "--regid=" + gid, "--clear-groups", "--no-new-privs", "--");
  }
}
