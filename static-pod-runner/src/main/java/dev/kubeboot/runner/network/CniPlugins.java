package dev.kubeboot.runner.network;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs CNI plugin binaries as the spec's runtime does: the command and the container in {@code
 * CNI_*} variables, the plugin's configuration on stdin, the result (or an error object) on stdout.
 * Plugins are looked up in the bin dirs in order, which also form {@code CNI_PATH} (plugins call
 * their IPAM plugin through it).
 */
public final class CniPlugins {
  /** What the plugins themselves run (iptables, ip): the usual system directories. */
  static final String SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private static final int OUTPUT_LIMIT = 1024 * 1024;

  private final List<Path> binDirs;
  private final Duration timeout;

  /**
   * @param timeout how long one plugin call may take before it is killed (the plugins wait for the
   *     xtables lock, so minutes are possible on a busy node)
   */
  public CniPlugins(List<Path> binDirs, Duration timeout) {
    this.binDirs = List.copyOf(binDirs);
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  public List<Path> binDirs() {
    return binDirs;
  }

  /** The plugin binary named {@code type}: the first executable file of that name. */
  public Optional<Path> find(String type) {
    for (Path dir : binDirs) {
      Path candidate = dir.resolve(type);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** The types of {@code types} that no bin dir holds. */
  public List<String> missing(Collection<String> types) {
    return types.stream().filter(t -> find(t).isEmpty()).toList();
  }

  /** One plugin call's environment besides the command: the container and the interface. */
  public record Call(String containerId, String netns, String ifName, String args) {
    public Call {
      Objects.requireNonNull(containerId, "containerId");
      Objects.requireNonNull(netns, "netns");
      Objects.requireNonNull(ifName, "ifName");
      Objects.requireNonNull(args, "args");
    }
  }

  /**
   * Runs {@code type} with {@code command} (ADD, DEL, CHECK, VERSION) and {@code config} on stdin.
   *
   * @return the plugin's stdout (its result for ADD and VERSION; usually empty otherwise)
   * @throws CniException the plugin is missing, could not run, timed out, or reported an error
   */
  public String exec(String type, String command, Call call, Map<String, Object> config)
      throws CniException, InterruptedException {
    Path binary =
        find(type)
            .orElseThrow(
                () ->
                    new CniException(
                        CniException.NOT_RUN,
                        "CNI plugin \""
                            + type
                            + "\" not found in "
                            + binDirs.stream().map(Path::toString).collect(Collectors.joining(", "))
                            + ": install the CNI plugins (Debian: containernetworking-plugins) or"
                            + " pass --cni-bin-dir"));
    byte[] stdin;
    try {
      stdin = JSON.std.asBytes(config);
    } catch (IOException e) {
      throw new CniException(CniException.NOT_RUN, "cannot encode the config of " + type, e);
    }
    ProcessBuilder builder = new ProcessBuilder(binary.toString());
    Map<String, String> env = builder.environment();
    env.clear();
    env.put("CNI_COMMAND", command);
    env.put("CNI_CONTAINERID", call.containerId());
    env.put("CNI_NETNS", call.netns());
    env.put("CNI_IFNAME", call.ifName());
    env.put("CNI_ARGS", call.args());
    env.put("CNI_PATH", binDirs.stream().map(Path::toString).collect(Collectors.joining(":")));
    env.put("PATH", SYSTEM_PATH);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new CniException(
          CniException.NOT_RUN, "cannot run CNI plugin " + binary + ": " + e.getMessage(), e);
    }
    Capture stdout = new Capture(process.getInputStream());
    Capture stderr = new Capture(process.getErrorStream());
    Thread out = Thread.ofVirtual().name("cni-" + type + "-out").start(stdout);
    Thread err = Thread.ofVirtual().name("cni-" + type + "-err").start(stderr);
    try (OutputStream in = process.getOutputStream()) {
      in.write(stdin);
    } catch (IOException e) {
      // A plugin that exits before reading all of stdin says why on stdout.
    }
    boolean finished;
    try {
      finished = process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      throw e;
    }
    if (!finished) {
      process.destroyForcibly();
      process.waitFor();
    }
    out.join();
    err.join();
    String output = stdout.text();
    if (!finished) {
      throw new CniException(
          11,
          "CNI plugin "
              + type
              + " "
              + command
              + " did not finish within "
              + timeout.toSeconds()
              + " s; killed");
    }
    if (process.exitValue() != 0) {
      throw error(type, command, process.exitValue(), output, stderr.text());
    }
    return output;
  }

  /** The error object a failing plugin prints, or its raw output when it printed none. */
  private static CniException error(
      String type, String command, int exit, String stdout, String stderr) {
    String what = "CNI plugin " + type + " " + command + " failed";
    try {
      Map<String, Object> e = JSON.std.mapFrom(stdout);
      if (e != null && e.get("msg") != null) {
        int code = e.get("code") instanceof Number n ? n.intValue() : exit;
        String details = e.get("details") == null ? "" : " (" + e.get("details") + ")";
        return new CniException(code, what + ": " + e.get("msg") + details);
      }
    } catch (IOException | RuntimeException notJson) {
      // Not the spec's error object: show what it printed.
    }
    String text = (stdout + " " + stderr).strip();
    return new CniException(
        exit, what + " with exit code " + exit + (text.isEmpty() ? "" : ": " + text));
  }

  /** Reads a stream to its end, keeping the first megabyte. */
  private static final class Capture implements Runnable {
    private final InputStream in;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();

    Capture(InputStream in) {
      this.in = in;
    }

    @Override
    public void run() {
      byte[] buffer = new byte[8192];
      try (in) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          int room = OUTPUT_LIMIT - kept.size();
          if (room > 0) {
            kept.write(buffer, 0, Math.min(room, n));
          }
        }
      } catch (IOException e) {
        // The process was killed: what was read is what there is.
      }
    }

    String text() {
      return kept.toString(StandardCharsets.UTF_8);
    }
  }

  /** Joins {@code CNI_ARGS} pairs as the spec writes them ({@code K=V;K=V}). */
  public static String args(List<Map.Entry<String, String>> pairs) {
    List<String> parts = new ArrayList<>();
    pairs.forEach(p -> parts.add(p.getKey() + "=" + p.getValue()));
    return String.join(";", parts);
  }
}
