package dev.kubeboot.runner.runtime.process;

import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signals the process group of a container (or of an exec), and never a process that merely got one
 * of its pids again.
 *
 * <p>A group is known by its leader's pid and start time (/proc/&lt;pid&gt;/stat field 22), read
 * when the leader started. Before any signal the start time is read again:
 *
 * <ul>
 *   <li>The pid shows another start time: the leader is gone and the pid was reused; nothing is
 *       signalled.
 *   <li>The pid shows the recorded start time: the group is ours, and kill(1) signals it whole, so
 *       a child forked meanwhile is not missed. (The kernel keeps a group id allocated while any
 *       member lives, so it cannot be handed out again in between unless the whole group has died
 *       and the pid numbers wrapped within the few milliseconds kill(1) takes to start.)
 *   <li>The pid is free: the leader exited. What is left in its group (started no earlier than the
 *       leader) is signalled one by one through {@link ProcessHandle}, whose native kill checks the
 *       process start time once more just before sending.
 * </ul>
 *
 * Java has no pidfd API before the FFM API of JDK 22, and the build targets 21: the start-time
 * checks are what stand in for it.
 */
final class GroupSignals {
  private static final Logger LOG = LoggerFactory.getLogger(GroupSignals.class);
  private static final File DEV_NULL = new File("/dev/null");

  /** The two signals a runtime sends. */
  enum Signal {
    TERM,
    KILL
  }

  private final ProcFs proc;
  private final String kill;

  /**
   * @param kill the kill(1) binary (procps), which signals a whole group
   */
  GroupSignals(ProcFs proc, String kill) {
    this.proc = proc;
    this.kill = kill;
  }

  /**
   * Signals the group of {@code leader}, started at {@code startTicks}.
   *
   * @return false when nothing was signalled: the pid belongs to another process now, or the group
   *     has no member left
   */
  boolean signal(long leader, long startTicks, Signal signal) {
    Optional<ProcFs.Stat> now = proc.stat(leader);
    if (now.isPresent()) {
      if (now.get().startTicks() != startTicks) {
        LOG.warn(
            "not sending SIG{} to pid {}: it started at tick {}, the recorded process at tick {};"
                + " the pid was reused",
            signal,
            leader,
            now.get().startTicks(),
            startTicks);
        return false;
      }
      int exit = killGroup(leader, signal);
      return exit < 0 ? signalMembers(leader, startTicks, signal) : exit == 0;
    }
    return signalMembers(leader, startTicks, signal);
  }

  /** kill(1) on the whole group: its exit code, or -1 when it could not be run. */
  private int killGroup(long group, Signal signal) {
    Process p;
    try {
      p =
          new ProcessBuilder(kill, "-s", signal.name(), "--", "-" + group)
              .redirectInput(ProcessBuilder.Redirect.from(DEV_NULL))
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
    } catch (IOException e) {
      LOG.warn("cannot run {} to send SIG{} to group {}: {}", kill, signal, group, e.getMessage());
      return -1;
    }
    boolean interrupted = false;
    while (true) {
      try {
        p.waitFor();
        break;
      } catch (InterruptedException e) {
        // A signal must not be left half-sent: finish, then restore the interrupt for the caller.
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return p.exitValue();
  }

  /**
   * Signals, one at a time, the live members of {@code group} that started no earlier than its
   * leader.
   */
  private boolean signalMembers(long group, long leaderTicks, Signal signal) {
    boolean any = false;
    List<Long> members = proc.groupMembers(group);
    for (long pid : members) {
      Optional<ProcFs.Stat> before = proc.stat(pid);
      Optional<ProcessHandle> handle = ProcessHandle.of(pid);
      Optional<ProcFs.Stat> after = proc.stat(pid);
      // The handle holds the start time the JDK read between the two stats; when both stats show
      // the same process in our group, the handle is that process, and its kill checks once more.
      if (handle.isEmpty()
          || before.isEmpty()
          || after.isEmpty()
          || after.get().startTicks() != before.get().startTicks()
          || after.get().processGroup() != group
          || before.get().startTicks() < leaderTicks) {
        continue;
      }
      boolean sent =
          signal == Signal.KILL ? handle.get().destroyForcibly() : handle.get().destroy();
      any |= sent;
    }
    return any;
  }
}
