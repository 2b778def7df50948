package dev.kubeboot.runner.runtime.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signals reach a recorded process group only while its leader is the process recorded. */
class GroupSignalsTest {
  @TempDir Path tmp;
  private final ProcFs proc = new ProcFs(Path.of("/proc"));
  private final GroupSignals signals = new GroupSignals(proc, "/usr/bin/kill");
  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void cleanUp() {
    started.forEach(Process::destroyForcibly);
  }

  /** A group leader, as a container's main process is (setsid). */
  private Process leader(String script) throws IOException {
    Process p = new ProcessBuilder("setsid", "sh", "-c", script).start();
    started.add(p);
    return p;
  }

  private long ticks(long pid) {
    return proc.stat(pid).orElseThrow().startTicks();
  }

  @Test
  void aPidWhoseStartTimeDiffersIsNeverSignalled() throws Exception {
    // What a recorded pid looks like once its process is gone and the pid went to another one.
    Process stranger = leader("sleep 100");
    long recorded = ticks(stranger.pid()) - 1;

    assertThat(signals.signal(stranger.pid(), recorded, GroupSignals.Signal.TERM)).isFalse();
    assertThat(signals.signal(stranger.pid(), recorded, GroupSignals.Signal.KILL)).isFalse();

    assertThat(stranger.waitFor(300, TimeUnit.MILLISECONDS)).isFalse();
    assertThat(stranger.isAlive()).isTrue();
  }

  @Test
  void theRecordedLeaderAndItsWholeGroupAreSignalled() throws Exception {
    Path child = tmp.resolve("child");
    Process leader = leader("sleep 100 & echo $! > " + child + "; wait");
    long childPid = awaitPid(child);

    assertThat(signals.signal(leader.pid(), ticks(leader.pid()), GroupSignals.Signal.KILL))
        .isTrue();

    assertThat(leader.waitFor(5, TimeUnit.SECONDS)).isTrue();
    awaitDead(childPid);
  }

  @Test
  void whatIsLeftOfAGroupWhoseLeaderExitedIsSignalledOneByOne() throws Exception {
    Path child = tmp.resolve("child");
    Process leader = leader("sleep 100 & echo $! > " + child + "; read x");
    long leaderTicks = ticks(leader.pid());
    long childPid = awaitPid(child);
    leader.getOutputStream().close();
    assertThat(leader.waitFor(5, TimeUnit.SECONDS)).isTrue();
    assertThat(proc.stat(leader.pid())).isEmpty();

    assertThat(signals.signal(leader.pid(), leaderTicks, GroupSignals.Signal.KILL)).isTrue();

    awaitDead(childPid);
  }

  @Test
  void aGroupWithNothingLeftIsNoError() throws Exception {
    Process leader = leader("read x");
    long leaderTicks = ticks(leader.pid());
    leader.getOutputStream().close();
    assertThat(leader.waitFor(5, TimeUnit.SECONDS)).isTrue();

    assertThat(signals.signal(leader.pid(), leaderTicks, GroupSignals.Signal.KILL)).isFalse();
  }

  private static long awaitPid(Path file) throws Exception {
    for (int i = 0; i < 500; i++) {
      if (Files.exists(file) && !Files.readString(file).isBlank()) {
        return Long.parseLong(Files.readString(file).trim());
      }
      Thread.sleep(10);
    }
    throw new AssertionError("no pid in " + file);
  }

  private static void awaitDead(long pid) throws InterruptedException {
    for (int i = 0; i < 500; i++) {
      if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
        return;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("pid " + pid + " still alive");
  }
}
