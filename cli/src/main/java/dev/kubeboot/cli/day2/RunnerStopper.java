package dev.kubeboot.cli.day2;

import dev.kubeboot.runner.RunnerPidFile;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Stops the runner that init started in the background, found through the pid file it keeps in its
 * state directory. The pid is trusted only when the file still describes that process (same start
 * time and command line: a pid file can outlive its process, and the pid be reused) and the process
 * is a kubeboot runner ({@code kubeboot runner}, not an {@code init --foreground}).
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

  static Found find(Path stateDir) {
    Optional<RunnerPidFile> file;
    try {
      file = RunnerPidFile.read(stateDir);
    } catch (IOException e) {
      return new Stale(-1);
    }
    if (file.isEmpty()) {
      return new NoPidFile();
    }
    Optional<ProcessHandle> handle = file.get().liveProcess().filter(RunnerStopper::isRunner);
    return handle.<Found>map(Running::new).orElse(new Stale(file.get().pid()));
  }

  /**
   * {@code ... dev.kubeboot.cli.Main runner ...} or {@code ... -jar kubeboot*.jar runner ...}: the
   * word after the main class or the jar is the command.
   */
  static boolean isRunner(ProcessHandle process) {
    List<String> args = process.info().arguments().map(List::of).orElse(List.of());
    int main = args.indexOf(MAIN_CLASS);
    if (main < 0) {
      int jar = args.indexOf("-jar");
      main =
          jar >= 0
                  && jar + 1 < args.size()
                  && Path.of(args.get(jar + 1)).getFileName().toString().startsWith("kubeboot")
              ? jar + 1
              : -1;
    }
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
