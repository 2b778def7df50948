package dev.kubeboot.cli.day2;

import java.util.concurrent.TimeUnit;

/**
 * A process whose command line looks like `java ... dev.kubeboot.cli.Main runner`: a shell with
 * those words as $0 and $1, so reset's ownership check accepts it without starting a JVM.
 */
final class FakeRunner {
  private FakeRunner() {}

  /**
   * @param ignoreTerm true: the process ignores SIGTERM, so only SIGKILL ends it
   */
  static Process start(boolean ignoreTerm) throws Exception {
    String script =
        ignoreTerm
            ? "trap '' TERM; while :; do sleep 0.1; done"
            : "trap 'exit 0' TERM; while :; do sleep 0.1; done";
    Process process =
        new ProcessBuilder("sh", "-c", script, RunnerStopper.MAIN_CLASS, "runner").start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (!RunnerStopper.isRunner(process.toHandle()) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      // Let the shell install its trap before anyone signals it.
      Thread.sleep(200);
      return process;
    } catch (Throwable t) {
      kill(process);
      throw t;
    }
  }

  static void kill(Process process) throws InterruptedException {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    process.waitFor(5, TimeUnit.SECONDS);
  }
}
