package dev.kubeboot.cli.systemd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * systemd through {@code systemctl}. systemd runs the host when {@code /run/systemd/system} exists
 * (what {@code sd_booted()} checks): in a container or a chroot without it, nothing is asked.
 *
 * @param bootedMarker the directory systemd makes when it is PID 1
 * @param systemctl the command, looked up on {@code PATH} when it has no slash
 * @param timeout how long one {@code systemctl} call may take (a unit's start included)
 */
public record Systemctl(Path bootedMarker, String systemctl, Duration timeout)
    implements ServiceManager {
  /** The host's systemd. */
  public static Systemctl host() {
    return new Systemctl(Path.of("/run/systemd/system"), "systemctl", Duration.ofMinutes(2));
  }

  @Override
  public boolean manages(String unit) throws IOException, InterruptedException {
    if (!Files.isDirectory(bootedMarker)) {
      return false;
    }
    // "loaded" when a unit file was found; "not-found" (exit 0 too) otherwise.
    Result show = run("show", "--property=LoadState", "--value", unit);
    return show.code() == 0 && show.output().strip().equals("loaded");
  }

  @Override
  public boolean inUse(String unit) throws IOException, InterruptedException {
    return run("is-enabled", "--quiet", unit).code() == 0
        || run("is-active", "--quiet", unit).code() == 0;
  }

  @Override
  public void enableNow(String unit) throws IOException, InterruptedException {
    require(run("enable", "--now", unit), "enable --now " + unit);
  }

  @Override
  public void disableNow(String unit) throws IOException, InterruptedException {
    require(run("disable", "--now", unit), "disable --now " + unit);
  }

  private record Result(int code, String output) {}

  private static void require(Result result, String what) throws ServiceManagerException {
    if (result.code() != 0) {
      throw new ServiceManagerException(
          "systemctl "
              + what
              + " exited with code "
              + result.code()
              + ": "
              + result.output().strip()
              + " (see: systemctl status and journalctl -u for that unit)");
    }
  }

  private Result run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(systemctl, "--no-pager"));
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .start();
    // Read while it runs, so a systemctl that hangs with its output open still times out.
    var output = new java.io.ByteArrayOutputStream();
    Thread reader =
        Thread.ofVirtual()
            .start(
                () -> {
                  try (var in = process.getInputStream()) {
                    in.transferTo(output);
                  } catch (IOException e) {
                    // the process was killed: what was read is enough for the message
                  }
                });
    if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
      process.destroyForcibly();
      throw new ServiceManagerException(
          String.join(" ", command) + " did not finish within " + timeout.toSeconds() + "s");
    }
    reader.join();
    return new Result(process.exitValue(), output.toString(StandardCharsets.UTF_8));
  }
}
