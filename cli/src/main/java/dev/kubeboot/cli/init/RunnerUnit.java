package dev.kubeboot.cli.init;

import dev.kubeboot.cli.KubebootException;
import dev.kubeboot.cli.systemd.ServiceManager;
import dev.kubeboot.cli.systemd.Systemctl;
import dev.kubeboot.runner.RunnerClient;
import dev.kubeboot.runner.RunnerSpec;
import dev.kubeboot.runner.Runners;
import dev.kubeboot.runner.fs.AtomicWriter;
import dev.kubeboot.runner.fs.TrustedPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The runner as systemd's {@code kubeboot-runner.service}, which the Debian package and the release
 * archive ship. When systemd runs the host and the unit is installed, init hands the runner to it
 * as kubeadm hands the kubelet to its unit: it writes the unit's flags file ({@code
 * KUBEBOOT_RUNNER_ARGS}, as kubeadm's {@code kubeadm-flags.env}) and enables the unit, so the
 * runner comes back after a crash or a reboot. Reset disables the unit and removes the flags file
 * init wrote.
 */
public final class RunnerUnit {
  public static final String UNIT = "kubeboot-runner.service";

  /** Where the unit reads its flags ({@code EnvironmentFile=}); fixed by the unit. */
  public static final Path FLAGS_FILE = Path.of("/var/lib/kubeboot/kubeboot-flags.env");

  /** First line of a flags file init wrote: reset removes such a file, and no other. */
  static final String MARKER =
      "# Written by kubeboot init for kubeboot-runner.service; kubeboot reset removes it.";

  private static final Duration POLL = Duration.ofMillis(50);

  /**
   * What survives systemd's reading: an environment file value is unquoted, and {@code
   * $KUBEBOOT_RUNNER_ARGS} in {@code ExecStart} is split at white space, so one flag may hold no
   * white space, quote, backslash or dollar sign.
   */
  private static final Pattern PLAIN_WORD = Pattern.compile("[^\\s\"'\\\\$`]+");

  private final ServiceManager services;
  private final Path flagsFile;

  public RunnerUnit(ServiceManager services, Path flagsFile) {
    this.services = Objects.requireNonNull(services);
    this.flagsFile = Objects.requireNonNull(flagsFile);
  }

  /** The host's systemd and the unit's own flags file. */
  public static RunnerUnit host() {
    return new RunnerUnit(Systemctl.host(), FLAGS_FILE);
  }

  public Path flagsFile() {
    return flagsFile;
  }

  /** Whether systemd runs this host and has the unit installed: then init starts the runner so. */
  public boolean available() throws IOException, InterruptedException {
    return services.manages(UNIT);
  }

  /**
   * The flags file of a runner started from {@code spec}: the runner's flags as {@code kubeboot
   * runner} reads them back ({@link RunnerSpec#toArgs}).
   *
   * @throws IllegalArgumentException a flag systemd would split or unquote (a path with a space)
   */
  static String flagsFileContent(RunnerSpec spec) {
    List<String> args = spec.toArgs();
    for (String arg : args) {
      if (!PLAIN_WORD.matcher(arg).matches()) {
        throw new IllegalArgumentException(
            "the runner's flag \""
                + arg
                + "\" cannot go into "
                + UNIT
                + "'s flags file: systemd splits it at white space and reads quotes, backslashes"
                + " and dollar signs; use paths without them");
      }
    }
    return MARKER + "\nKUBEBOOT_RUNNER_ARGS=\"" + String.join(" ", args) + "\"\n";
  }

  /**
   * Writes the flags file of {@code spec} (atomically, mode 0644), runs {@code systemctl enable
   * --now}, and waits until a client trusts the runner that answers, as for a detached start.
   *
   * @return the runner's pid
   * @throws KubebootException the unit's runner did not answer as the runner of the spec in time
   */
  public long start(RunnerSpec spec) throws KubebootException, IOException, InterruptedException {
    byte[] content;
    try {
      content = flagsFileContent(spec).getBytes(StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new KubebootException(e.getMessage(), e);
    }
    Path dir = flagsFile.toAbsolutePath().getParent();
    // Root runs the flags' runner: no other user may swap the directory they are read from.
    TrustedPaths.forThisProcess().requireTrusted(dir);
    Files.createDirectories(dir);
    AtomicWriter.removeLeftovers(flagsFile, Instant.now());
    AtomicWriter.write(flagsFile, content, PosixFilePermissions.fromString("rw-r--r--"));
    services.enableNow(UNIT);
    RunnerClient client = RunnerClient.of(spec);
    long deadline = System.nanoTime() + Runners.DETACHED_START_TIMEOUT.toNanos();
    while (true) {
      RunnerClient.Identity identity = client.identify(spec.manifestPath());
      if (identity instanceof RunnerClient.Serving serving) {
        return serving.status().pid();
      }
      if (System.nanoTime() > deadline) {
        String why =
            identity instanceof RunnerClient.Foreign foreign ? foreign.reason() : "nothing answers";
        throw new KubebootException(
            UNIT
                + " did not answer as the runner of "
                + spec.manifestPath()
                + " on "
                + client.statusUri()
                + " within "
                + Runners.DETACHED_START_TIMEOUT.toSeconds()
                + "s ("
                + why
                + "): see systemctl status kubeboot-runner, journalctl -u kubeboot-runner and "
                + flagsFile);
      }
      Thread.sleep(POLL);
    }
  }

  /** What reset does about the unit: disable it, remove the flags file init wrote, both or none. */
  public record Stop(boolean disable, boolean removeFlags) {
    public boolean isEmpty() {
      return !disable && !removeFlags;
    }
  }

  /** What {@link #stop} would do now; changes nothing. */
  public Stop plan() throws IOException, InterruptedException {
    boolean disable = services.manages(UNIT) && services.inUse(UNIT);
    return new Stop(disable, writtenByInit());
  }

  /**
   * Takes the runner back from systemd: {@code systemctl disable --now} (it stops the runner; its
   * pods stay, as on any runner stop), then removes the flags file when init wrote it.
   */
  public void stop(Stop plan) throws IOException, InterruptedException {
    if (plan.disable()) {
      services.disableNow(UNIT);
    }
    if (plan.removeFlags() && writtenByInit()) {
      TrustedPaths.forThisProcess().requireTrusted(flagsFile.toAbsolutePath().getParent());
      Files.deleteIfExists(flagsFile);
    }
  }

  private boolean writtenByInit() throws IOException {
    try {
      List<String> lines = Files.readAllLines(flagsFile, StandardCharsets.UTF_8);
      return !lines.isEmpty() && lines.getFirst().equals(MARKER);
    } catch (NoSuchFileException e) {
      return false;
    }
  }
}
