package dev.kubeboot.cli.day2;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Stops the runner that init started in the background, found through its pid file. The pid is
 * trusted only when that process is a kubeboot runner (its command line runs {@code
 * dev.kubeboot.cli.Main runner}): a pid file can outlive its process, and the pid be reused.
 */
final class RunnerStopper {
  static final String MAIN_CLASS = "dev.kubeboot.cli.Main";

  /** What the pid file pointed at. */
  sealed interface Found permits NoPidFile, Stale, Running {}

  record NoPidFile() implements Found {}

  /** The pid file names no live kubeboot runner. */
  record Stale(long pid) implements Found {}

  record Running(ProcessHandle process) implements Found {}

  private final Duration grace;

  RunnerStopper(Duration grace) {
    this.grace = grace;
  }

  static Found find(Path pidFile) throws IOException {
    String text;
    try {
      text = Files.readString(pidFile).strip();
    } catch (NoSuchFileException e) {
      return new NoPidFile();
    }
    long pid;
    try {
      pid = Long.parseLong(text);
    } catch (NumberFormatException e) {
      return new Stale(-1);
    }
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    if (handle.isEmpty() || !handle.get().isAlive() || !isRunner(handle.get())) {
      return new Stale(pid);
    }
    return new Running(handle.get());
  }

  static boolean isRunner(ProcessHandle process) {
    List<String> args = process.info().arguments().map(List::of).orElse(List.of());
    int main = args.indexOf(MAIN_CLASS);
    return main >= 0 && main + 1 < args.size() && args.get(main + 1).equals("runner");
  }

  /**
   * SIGTERM, then SIGKILL when the process has not exited within the grace period.
   *
   * @return true when it had to be killed
   */
  boolean stop(ProcessHandle process) throws InterruptedException, IOException {
    var exit = process.onExit();
    if (!process.destroy() && process.isAlive()) {
      throw new IOException("cannot send SIGTERM to the runner (pid " + process.pid() + ")");
    }
    try {
      exit.get(grace.toMillis(), TimeUnit.MILLISECONDS);
      return false;
    } catch (TimeoutException e) {
      process.destroyForcibly();
      try {
        exit.get(10, TimeUnit.SECONDS);
      } catch (TimeoutException | ExecutionException stillThere) {
        throw new IOException(
            "the runner (pid " + process.pid() + ") survived SIGKILL for 10s", stillThere);
      }
      return true;
    } catch (ExecutionException e) {
      throw new IOException(
          "cannot wait for the runner (pid " + process.pid() + ") to exit: " + e.getCause(), e);
    }
  }
}
