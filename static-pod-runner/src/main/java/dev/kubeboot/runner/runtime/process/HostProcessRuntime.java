package dev.kubeboot.runner.runtime.process;

import dev.kubeboot.runner.fs.AtomicWriter;
import dev.kubeboot.runner.network.CniPodNetwork;
import dev.kubeboot.runner.network.PodHostFiles;
import dev.kubeboot.runner.pod.Container;
import dev.kubeboot.runner.pod.PodKey;
import dev.kubeboot.runner.pod.StaticPod;
import dev.kubeboot.runner.runtime.ContainedPath;
import dev.kubeboot.runner.runtime.ContainerConfigHash;
import dev.kubeboot.runner.runtime.ContainerHandle;
import dev.kubeboot.runner.runtime.ContainerRuntime;
import dev.kubeboot.runner.runtime.ContainerStartException;
import dev.kubeboot.runner.runtime.DirectoryTrees;
import dev.kubeboot.runner.runtime.ExecResult;
import dev.kubeboot.runner.runtime.ExitStatus;
import dev.kubeboot.runner.runtime.LogFiles;
import dev.kubeboot.runner.runtime.LogQuery;
import dev.kubeboot.runner.runtime.LogRotator;
import dev.kubeboot.runner.runtime.OwnedPod;
import dev.kubeboot.runner.runtime.VariableExpansion;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.Yaml;

/**
 * Runs containers as plain host processes: the runtime for a node without a container engine, where
 * the component binaries are installed on the host ({@code --bin-dir}, then PATH).
 *
 * <p>What a container becomes:
 *
 * <ul>
 *   <li>Executable: {@code command[0]}, or with no command the image's repository name ({@code
 *       registry.k8s.io/etcd:3.5.21-0} runs {@code etcd}), looked up in the bin dirs, then PATH.
 *   <li>argv and env: {@code $(VAR)} expanded as the kubelet does; container paths under a mount
 *       whose mountPath differs from its host path are rewritten to the host path ({@link
 *       PathRewriter}).
 *   <li>Environment: a clean base, never the runner's own: {@code PATH} (bin dirs, then the usual
 *       system dirs), {@code HOME}, {@code HOSTNAME}; then the container's env; then the ownership
 *       markers {@code KUBEBOOT_POD}, {@code KUBEBOOT_POD_UID}, {@code KUBEBOOT_CONTAINER}, {@code
 *       KUBEBOOT_ATTEMPT}, which no manifest can override.
 *   <li>Its own session and process group ({@code setsid}, which execs in place so the pid stays
 *       the container's), so stop signals reach its children and a Ctrl-C at the runner's terminal
 *       does not.
 *   <li>runAsUser/runAsGroup: honoured through {@code setpriv} when the runner is root, else
 *       ignored with a warning; a user without a group gets its primary group from /etc/passwd
 *       (never group 0); no supplementary groups, no new privileges ({@link ProcessIdentity}).
 *       Other security settings (privileged, seccomp, capabilities), resources and readOnly mounts
 *       cannot be applied to a host process and are ignored.
 *   <li>stdout and stderr: appended straight to {@code
 *       <state>/pods/<ns>_<pod>_<uid>/<container>/<attempt>.log} (0640, in 0750 directories) as raw
 *       lines, not the CRI format: a process must keep writing when the runner is gone (that is
 *       what adoption is for), and a pipe to a pump thread in the runner would kill it with
 *       SIGPIPE. Modes and places of everything: {@link StateLayout}.
 *   <li>A pid file {@code <state>/containers/<pid>.json} with the process start time from /proc, so
 *       a later runner adopts it only when pid and start time match.
 * </ul>
 *
 * <p>exec (probes and hooks) runs a command on the host as the container's main process runs: same
 * user, group and no-new-privileges, the environment and working directory built from the pod spec,
 * paths rewritten the same way, in its own process group that a timeout kills; output is cut at 10
 * KiB. For an adopted container all of it is rebuilt from the spec its pod worker hands over
 * ({@link #resume}), never read from /proc, where the process itself could have planted a PATH or
 * LD_PRELOAD; until then exec is refused.
 *
 * <p>Signals go to a container's process group only after its leader's start time is checked again
 * ({@link GroupSignals}), so a reused pid is never signalled.
 *
 * <p>Exits are seen through {@link Process#onExit()}, without polling. An adopted process is not
 * our child: its exit is seen through {@link ProcessHandle#onExit()}, which the JDK implements by
 * polling (first after 300 ms, slowing to every 5 s), and its exit code is unknowable: it is
 * reported as {@code ExitStatus(-1, "Unknown")}. Once restarted, a container is our child again.
 */
public final class HostProcessRuntime implements ContainerRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(HostProcessRuntime.class);

  static final String MARKER_POD = "KUBEBOOT_POD";
  static final String MARKER_POD_UID = "KUBEBOOT_POD_UID";
  static final String MARKER_CONTAINER = "KUBEBOOT_CONTAINER";
  static final String MARKER_ATTEMPT = "KUBEBOOT_ATTEMPT";

  /** The PATH containerd gives a container whose image sets none. */
  static final String SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  static final int EXEC_OUTPUT_LIMIT = 10 * 1024;

  /** How long a SIGKILLed process may take to be reaped before stop gives up on it. */
  private static final Duration AFTER_KILL = Duration.ofSeconds(10);

  private static final Duration GROUP_CLEANUP_DELAY = Duration.ofMillis(100);
  private static final Duration ADOPTED_STOP_POLL = Duration.ofMillis(10);
  private static final Set<PosixFilePermission> PID_FILE_MODE =
      PosixFilePermissions.fromString("rw-------");
  private static final File DEV_NULL = new File("/dev/null");

  private final HostProcessOptions options;
  private final StateLayout layout;
  private final ProcFs proc;
  private final Passwd passwd;
  private final ExecutableResolver resolver;
  private final VolumePlanner volumes;
  private final GroupSignals signals;
  private final String setsid;
  private final Optional<String> setpriv;
  private final long runnerUid;
  private final Optional<String> hostname;
  private final ExecutorService executor;
  private final ConcurrentMap<ContainerHandle, Tracked> tracked = new ConcurrentHashMap<>();
  private final Yaml pidFileParser = PidFile.newParser();
  private final PodNamespaces namespaces;

  /**
   * A container this runtime watches, started by it or adopted.
   *
   * @param child started by this runtime (its exit is seen at once); false for an adopted process
   * @param exit completes when the main process has exited
   * @param stopping set by {@link #stop}, which then cleans up the process group itself
   * @param launch how to exec in it: set at start, and for an adopted container by {@link #resume}
   */
  private record Tracked(
      ContainerHandle handle,
      PidFile pidFile,
      boolean child,
      CompletableFuture<ExitStatus> exit,
      AtomicBoolean stopping,
      AtomicReference<Launch> launch) {
    Tracked(ContainerHandle handle, PidFile pidFile, boolean child, Launch launch) {
      this(
          handle,
          pidFile,
          child,
          new CompletableFuture<>(),
          new AtomicBoolean(),
          new AtomicReference<>(launch));
    }

    long pid() {
      return pidFile.pid();
    }

    /** Signals the container's process group, unless its pid now names another process. */
    void signal(GroupSignals signals, GroupSignals.Signal signal) {
      signals.signal(pidFile.pid(), pidFile.startTicks(), signal);
    }
  }

  /**
   * What running a command "in" the container takes, all of it from the pod spec: its environment,
   * working directory, path rewriting and identity.
   */
  private record Launch(
      Map<String, String> env,
      Path workingDir,
      PathRewriter rewriter,
      ProcessIdentity user,
      List<String> netnsPrefix) {}

  /**
   * Creates the state dir (0700) or closes an existing one.
   *
   * @throws IllegalStateException {@code setsid} or {@code kill} (util-linux, procps) is not
   *     installed, or the state dir cannot be made or is not the runner's own
   */
  public HostProcessRuntime(HostProcessOptions options) {
    this.options = Objects.requireNonNull(options, "options");
    this.layout = new StateLayout(options.stateDir(), options.volumesDir());
    this.proc = new ProcFs(Path.of("/proc"));
    this.passwd = new Passwd(Path.of("/etc/passwd"));
    this.resolver = new ExecutableResolver(options.binDirs());
    this.runnerUid = proc.selfUid();
    this.volumes = new VolumePlanner(layout, runnerUid);
    ExecutableResolver system = new ExecutableResolver(List.of());
    this.setsid = requireTool(system, "setsid", "util-linux");
    this.signals = new GroupSignals(proc, requireTool(system, "kill", "procps"));
    this.setpriv = system.resolve("setpriv", SYSTEM_PATH).map(Path::toString);
    try {
      if (layout.createStateDir(runnerUid)) {
        LOG.debug("state dir {} was open to other users: now 0700", layout.stateDir());
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot use state dir " + options.stateDir() + ": " + e.getMessage(), e);
    }
    this.hostname = hostname();
    this.namespaces =
        new PodNamespaces(
            new CniPodNetwork(options.network(), options.stateDir()),
            new PodHostFiles(PodHostFiles.HOST_RESOLV_CONF),
            options.stateDir(),
            system.resolve("ip", SYSTEM_PATH).map(Path::toString));
    this.executor =
        Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("process-runtime-", 0).factory());
  }

  private static String requireTool(ExecutableResolver system, String tool, String pkg) {
    return system
        .resolve(tool, SYSTEM_PATH)
        .map(Path::toString)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "the process runtime needs \""
                        + tool
                        + "\" in "
                        + SYSTEM_PATH
                        + ": install "
                        + pkg));
  }

  @Override
  public String name() {
    return "process";
  }

  /**
   * For a pod without hostNetwork its network namespace, attached to the pod network, with the
   * pod's /etc/hosts and resolv.conf beside it.
   */
  @Override
  public List<String> preparePod(StaticPod pod)
      throws ContainerStartException, InterruptedException {
    return pod.spec().hostNetwork() ? List.of() : namespaces.ensure(pod).ips();
  }

  @Override
  public List<String> podIPs(String podUid) {
    return namespaces.ips(podUid);
  }

  @Override
  public List<OwnedPod> listOwnedPods() {
    return namespaces.owned();
  }

  @Override
  public ContainerHandle start(StaticPod pod, Container container, int attempt)
      throws ContainerStartException, InterruptedException {
    // Made again here when it went since preparePod (removed by hand, say); its IPs are the pod's
    // status.podIP(s) in the container's environment.
    List<String> podIPs = pod.spec().hostNetwork() ? List.of() : namespaces.ensure(pod).ips();
    ProcessIdentity user = identity(pod, container);
    List<Mount> mounts = volumes.prepare(pod, container, user);
    Launch launch = launch(pod, container, attempt, mounts, user, podIPs);
    PathRewriter rewriter = launch.rewriter();
    Map<String, String> containerEnv = VariableExpansion.resolveEnv(container.env(), podIPs);

    List<String> words = new ArrayList<>();
    if (container.command().isEmpty()) {
      words.add(ExecutableResolver.binaryForImage(container.image()));
    } else {
      container.command().forEach(w -> words.add(VariableExpansion.expand(w, containerEnv)));
    }
    container.args().forEach(w -> words.add(VariableExpansion.expand(w, containerEnv)));
    List<String> argv = rewriter.rewriteAll(words);

    String runnerPath = Objects.requireNonNullElse(System.getenv("PATH"), SYSTEM_PATH);
    Path executable =
        resolver
            .resolve(argv.get(0), runnerPath)
            .orElseThrow(
                () ->
                    new ContainerStartException(
                        "ErrImagePull",
                        "executable \""
                            + argv.get(0)
                            + "\" not found in --bin-dir "
                            + options.binDirs()
                            + " or PATH ("
                            + runnerPath
                            + ") for container \""
                            + container.name()
                            + "\" of pod "
                            + pod.key()
                            + " (image "
                            + container.image()
                            + "): install it or pass --bin-dir"));

    Path workingDir = launch.workingDir();
    if (!Files.isDirectory(workingDir)) {
      throw new ContainerStartException(
          "CreateContainerConfigError",
          "workingDir "
              + workingDir
              + " of container \""
              + container.name()
              + "\" of pod "
              + pod.key()
              + " is not a directory on this host: create it");
    }

    List<String> commandLine = commandLine(launch.netnsPrefix(), user, executable, argv);
    String configHash = ContainerConfigHash.of(pod, container);
    Path log;
    try {
      layout.createStateDir(runnerUid);
      layout.createContainersDir(runnerUid);
      log = layout.createLogFile(pod.key(), pod.uid(), container.name(), attempt, runnerUid);
    } catch (IOException | IllegalArgumentException e) {
      throw new ContainerStartException(
          "CreateContainerConfigError",
          "cannot create the log file of container \""
              + container.name()
              + "\" of pod "
              + pod.key()
              + ": "
              + e.getMessage(),
          e);
    }
    Process process;
    try {
      ProcessBuilder builder =
          new ProcessBuilder(commandLine)
              .directory(workingDir.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(DEV_NULL))
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .redirectErrorStream(true);
      builder.environment().clear();
      builder.environment().putAll(launch.env());
      process = builder.start();
    } catch (IOException e) {
      throw new ContainerStartException(
          "RunContainerError",
          "cannot start "
              + executable
              + " for container \""
              + container.name()
              + "\" of pod "
              + pod.key()
              + ": "
              + e.getMessage(),
          e);
    }

    long pid = process.pid();
    long startTicks = proc.stat(pid).map(ProcFs.Stat::startTicks).orElse(-1L);
    ContainerHandle handle =
        new ContainerHandle(
            Long.toString(pid),
            pod.key(),
            pod.uid(),
            container.name(),
            attempt,
            options.clock().instant(),
            configHash);
    PidFile pidFile =
        new PidFile(
            pid,
            startTicks,
            pod.key(),
            pod.uid(),
            container.name(),
            attempt,
            handle.startedAt(),
            handle.configHash(),
            log);
    try {
      // Unsynced: a pid file describes a process a power loss kills too.
      AtomicWriter.write(
          layout.pidFile(handle.id()),
          pidFile.toJson().getBytes(StandardCharsets.UTF_8),
          PID_FILE_MODE,
          AtomicWriter.Durability.UNSYNCED);
    } catch (IOException e) {
      // Without a pid file a later runner could not tell the process is ours: do not leave it
      // running. Our own child is killed through its Process, which cannot hit a reused pid.
      process.destroyForcibly();
      signals.signal(pid, startTicks, GroupSignals.Signal.KILL);
      throw new ContainerStartException(
          "RunContainerError",
          "cannot write pid file " + layout.pidFile(handle.id()) + ": " + e.getMessage(),
          e);
    }

    Tracked t = new Tracked(handle, pidFile, true, launch);
    tracked.put(handle, t);
    process
        .onExit()
        .whenCompleteAsync(
            (p, error) ->
                exited(t, pidFile, ExitStatus.of(process.exitValue(), options.clock().instant())),
            executor);
    LOG.debug("started {} container {} as pid {}", pod.key(), container.name(), pid);
    return handle;
  }

  /** Who the container runs as: what its security context asks, when the runner can switch. */
  private ProcessIdentity identity(StaticPod pod, Container container)
      throws ContainerStartException {
    var context = container.securityContext();
    boolean asksForAnother =
        context.runAsGroup().isPresent()
            || context.runAsUser().filter(uid -> uid != runnerUid).isPresent();
    if (!asksForAnother) {
      return ProcessIdentity.runner(runnerUid);
    }
    if (runnerUid != 0 || setpriv.isEmpty()) {
      LOG.warn(
          "container \"{}\" of pod {} asks for runAsUser {} runAsGroup {}; ignored: {}",
          container.name(),
          pod.key(),
          context.runAsUser().map(String::valueOf).orElse("-"),
          context.runAsGroup().map(String::valueOf).orElse("-"),
          runnerUid != 0 ? "the runner is not root" : "setpriv (util-linux) is not installed");
      return ProcessIdentity.runner(runnerUid);
    }
    return ProcessIdentity.requested(
            context,
            runnerUid,
            passwd,
            "container \"" + container.name() + "\" of pod " + pod.key())
        .orElse(ProcessIdentity.runner(runnerUid));
  }

  /**
   * Environment, working directory and path rewriting of a container, from its spec and the IPs of
   * its pod's network namespace.
   */
  private Launch launch(
      StaticPod pod,
      Container container,
      int attempt,
      List<Mount> mounts,
      ProcessIdentity user,
      List<String> podIPs) {
    PathRewriter rewriter = new PathRewriter(mounts);
    Map<String, String> containerEnv = VariableExpansion.resolveEnv(container.env(), podIPs);
    Path workingDir = Path.of(container.workingDir().map(rewriter::rewrite).orElse("/"));
    return new Launch(
        environment(pod, container, attempt, containerEnv, rewriter, user.uid()),
        workingDir,
        rewriter,
        user,
        pod.spec().hostNetwork() ? List.of() : namespaces.execPrefix(pod.uid()));
  }

  /**
   * setsid (its own session and group), the pod's network namespace through {@code ip netns exec}
   * (which, like setsid, execs in place, so the pid stays the container's), setpriv when switching
   * user (after: entering a namespace takes root), then the command.
   */
  private List<String> commandLine(
      List<String> netnsPrefix, ProcessIdentity user, Path executable, List<String> argv) {
    List<String> commandLine = new ArrayList<>(List.of(setsid));
    commandLine.addAll(netnsPrefix);
    commandLine.addAll(user.setpriv(setpriv.orElse("setpriv")));
    commandLine.add(executable.toString());
    commandLine.addAll(argv.subList(1, argv.size()));
    return commandLine;
  }

  private Map<String, String> environment(
      StaticPod pod,
      Container container,
      int attempt,
      Map<String, String> containerEnv,
      PathRewriter rewriter,
      long uid) {
    Map<String, String> env = new LinkedHashMap<>();
    StringBuilder path = new StringBuilder();
    options.binDirs().forEach(d -> path.append(d).append(':'));
    env.put("PATH", path + SYSTEM_PATH);
    env.put(
        "HOME",
        uid == 0
            ? "/root"
            : uid == runnerUid ? Objects.requireNonNullElse(System.getenv("HOME"), "/") : "/");
    hostname.ifPresent(h -> env.put("HOSTNAME", h));
    containerEnv.forEach((k, v) -> env.put(k, rewriter.rewrite(v)));
    env.put(MARKER_POD, pod.key().toString());
    env.put(MARKER_POD_UID, pod.uid());
    env.put(MARKER_CONTAINER, container.name());
    env.put(MARKER_ATTEMPT, Integer.toString(attempt));
    return env;
  }

  private static Optional<String> hostname() {
    try {
      return Optional.of(Files.readString(Path.of("/proc/sys/kernel/hostname")).trim());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private void exited(Tracked t, PidFile pidFile, ExitStatus status) {
    deletePidFile(pidFile);
    t.exit().complete(status);
    LOG.debug(
        "{} container {} (pid {}) exited: {}",
        t.handle().pod(),
        t.handle().containerName(),
        t.pid(),
        status);
    if (!t.stopping().get()) {
      // As when a container's init process dies, what it left behind in its group goes too; a
      // moment later, so the kill(1) does not compete with the restart for the CPU. The group id
      // cannot be reused meanwhile while anything is left in the group.
      CompletableFuture.delayedExecutor(
              GROUP_CLEANUP_DELAY.toMillis(), TimeUnit.MILLISECONDS, executor)
          .execute(() -> t.signal(signals, GroupSignals.Signal.KILL));
    }
  }

  @Override
  public CompletionStage<ExitStatus> onExit(ContainerHandle container) {
    Tracked t = lookup(container);
    if (t == null) {
      return CompletableFuture.completedStage(unknownExit());
    }
    return t.exit().minimalCompletionStage();
  }

  @Override
  public void stop(ContainerHandle container, Duration gracePeriod) throws InterruptedException {
    Tracked t = lookup(container);
    if (t == null) {
      return;
    }
    t.stopping().set(true);
    if (!t.exit().isDone()) {
      t.signal(signals, GroupSignals.Signal.TERM);
      if (!await(t, gracePeriod)) {
        LOG.info(
            "{} container {} (pid {}) still runs {} after SIGTERM: sending SIGKILL",
            container.pod(),
            container.containerName(),
            t.pid(),
            gracePeriod);
        t.signal(signals, GroupSignals.Signal.KILL);
        if (!await(t, AFTER_KILL)) {
          LOG.warn(
              "{} container {} (pid {}) did not exit within {} of SIGKILL (uninterruptible sleep?)",
              container.pod(),
              container.containerName(),
              t.pid(),
              AFTER_KILL);
          return;
        }
      }
    }
    t.signal(signals, GroupSignals.Signal.KILL);
  }

  /** Waits for the exit; returns whether it exited in time. */
  private boolean await(Tracked t, Duration timeout) throws InterruptedException {
    if (!t.child()) {
      return awaitAdopted(t, timeout);
    }
    try {
      t.exit().get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      return true;
    }
  }

  /**
   * The JDK sees an adopted (not child) process exit by polling every 0.3 to 5 s; while stopping
   * one, /proc is checked every 10 ms instead, so a stop does not wait seconds for the news.
   */
  private boolean awaitAdopted(Tracked t, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
    while (true) {
      if (t.exit().isDone() || !isOurs(t.pidFile())) {
        exited(t, t.pidFile(), unknownExit());
        return true;
      }
      if (System.nanoTime() >= deadline) {
        return false;
      }
      Thread.sleep(ADOPTED_STOP_POLL);
    }
  }

  @Override
  public ExecResult exec(ContainerHandle container, List<String> command, Duration timeout)
      throws InterruptedException {
    Tracked t = lookup(container);
    if (t == null || t.exit().isDone()) {
      return new ExecResult(
          -1,
          "container \""
              + container.containerName()
              + "\" of pod "
              + container.pod()
              + " is not running",
          false);
    }
    if (command.isEmpty()) {
      return new ExecResult(-1, "exec: empty command", false);
    }
    Launch launch = t.launch().get();
    if (launch == null) {
      return new ExecResult(
          -1,
          "container \""
              + container.containerName()
              + "\" of pod "
              + container.pod()
              + " was adopted from an earlier runner and its pod spec has not been handed over:"
              + " exec refused (its environment is never taken from the process)",
          false);
    }
    List<String> argv = launch.rewriter().rewriteAll(command);
    String path = launch.env().getOrDefault("PATH", SYSTEM_PATH);
    Optional<Path> executable = resolver.resolve(argv.get(0), path);
    if (executable.isEmpty()) {
      return new ExecResult(
          127,
          "executable \""
              + argv.get(0)
              + "\" not found in --bin-dir "
              + options.binDirs()
              + " or PATH ("
              + path
              + ")",
          false);
    }
    List<String> commandLine =
        commandLine(launch.netnsPrefix(), launch.user(), executable.get(), argv);
    Path cwd = Files.isDirectory(launch.workingDir()) ? launch.workingDir() : Path.of("/");
    ProcessBuilder builder =
        new ProcessBuilder(commandLine)
            .directory(cwd.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(DEV_NULL))
            .redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().putAll(launch.env());
    Process p;
    try {
      p = builder.start();
    } catch (IOException e) {
      return new ExecResult(126, "cannot run " + executable.get() + ": " + e.getMessage(), false);
    }
    // Read while the child cannot have been reaped yet unless it already exited: then there is no
    // group left to kill, and -1 matches no process.
    long ticks = proc.stat(p.pid()).map(ProcFs.Stat::startTicks).orElse(-1L);
    CappedOutput output = new CappedOutput(p.getInputStream(), EXEC_OUTPUT_LIMIT);
    Thread reader = Thread.ofVirtual().name("exec-output-" + p.pid()).start(output);
    boolean finished;
    try {
      finished = p.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } finally {
      if (p.isAlive()) {
        signals.signal(p.pid(), ticks, GroupSignals.Signal.KILL);
      }
    }
    if (!finished) {
      p.waitFor();
    }
    // Children left in the exec's group would hold the output pipe open.
    if (!reader.join(Duration.ofMillis(100))) {
      signals.signal(p.pid(), ticks, GroupSignals.Signal.KILL);
      reader.join(Duration.ofSeconds(1));
    }
    // A timed-out command was SIGKILLed: 128 + 9, as the exit code of a killed child reads.
    return new ExecResult(finished ? p.exitValue() : 137, output.text(), !finished);
  }

  /** Reads a stream to its end, keeping the first {@code limit} bytes. */
  private static final class CappedOutput implements Runnable {
    private final InputStream in;
    private final int limit;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();

    CappedOutput(InputStream in, int limit) {
      this.in = in;
      this.limit = limit;
    }

    @Override
    public void run() {
      byte[] buffer = new byte[4096];
      try (in) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          synchronized (kept) {
            int room = limit - kept.size();
            if (room > 0) {
              kept.write(buffer, 0, Math.min(room, n));
            }
          }
        }
      } catch (IOException e) {
        LOG.debug("exec output ended: {}", e.getMessage());
      }
    }

    String text() {
      synchronized (kept) {
        return kept.toString(StandardCharsets.UTF_8);
      }
    }
  }

  @Override
  public List<ContainerHandle> listOwned() throws InterruptedException {
    List<ContainerHandle> owned = new ArrayList<>();
    for (Path file : pidFiles()) {
      Optional<PidFile> pidFile = read(file);
      if (pidFile.isEmpty()) {
        continue;
      }
      PidFile pf = pidFile.get();
      Tracked t = tracked.get(pf.handle());
      if (t != null) {
        if (!t.exit().isDone()) {
          owned.add(t.handle());
        }
        continue;
      }
      if (isOurs(pf)) {
        owned.add(adopt(pf).handle());
      } else {
        LOG.info(
            "removing stale pid file {}: pid {} is no longer {} container {}",
            file,
            pf.pid(),
            pf.pod(),
            pf.container());
        deleteQuietly(file);
      }
    }
    owned.sort(ContainerHandle.BY_POD_CONTAINER_ATTEMPT);
    return owned;
  }

  private List<Path> pidFiles() {
    try (Stream<Path> files = Files.list(layout.containersDir())) {
      return files
          .filter(f -> !f.getFileName().toString().startsWith("."))
          .filter(f -> f.getFileName().toString().endsWith(".json"))
          .sorted()
          .toList();
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      LOG.warn("cannot list {}: {}", layout.containersDir(), e.getMessage());
      return List.of();
    }
  }

  private Optional<PidFile> read(Path file) {
    try {
      String text = Files.readString(file);
      synchronized (pidFileParser) {
        return Optional.of(PidFile.parse(text, pidFileParser));
      }
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | IllegalArgumentException e) {
      LOG.warn("removing unreadable pid file {}: {}", file, e.getMessage());
      deleteQuietly(file);
      return Optional.empty();
    }
  }

  /**
   * Alive with the recorded start time: not a reused pid. (Its environment proves nothing: the
   * process can rewrite it.)
   */
  private boolean isOurs(PidFile pf) {
    Optional<ProcFs.Stat> stat = proc.stat(pf.pid());
    return stat.isPresent() && stat.get().alive() && stat.get().startTicks() == pf.startTicks();
  }

  private Tracked adopt(PidFile pf) {
    return tracked.computeIfAbsent(
        pf.handle(),
        handle -> {
          Tracked t = new Tracked(handle, pf, false, null);
          Optional<ProcessHandle> process = ProcessHandle.of(pf.pid());
          if (process.isEmpty()) {
            executor.execute(() -> exited(t, pf, unknownExit()));
          } else {
            process
                .get()
                .onExit()
                .whenCompleteAsync((p, e) -> exited(t, pf, unknownExit()), executor);
          }
          LOG.info(
              "adopted {} container {} (pid {}, attempt {})",
              pf.pod(),
              pf.container(),
              pf.pid(),
              pf.attempt());
          return t;
        });
  }

  /**
   * Rebuilds how to exec in an adopted container from the spec it runs: environment, working
   * directory, paths and user, exactly as {@link #start} would, with the pod's IPs as the worker
   * prepared its namespace just before.
   */
  @Override
  public void resume(ContainerHandle container, StaticPod pod, Container spec) {
    Tracked t = lookup(container);
    if (t == null || t.launch().get() != null) {
      return;
    }
    try {
      ProcessIdentity user = identity(pod, spec);
      t.launch()
          .compareAndSet(
              null,
              launch(
                  pod,
                  spec,
                  container.attempt(),
                  volumes.plan(pod, spec),
                  user,
                  namespaces.ips(pod.uid())));
    } catch (ContainerStartException e) {
      LOG.warn(
          "adopted {} container {}, but exec in it stays refused: {}",
          container.pod(),
          container.containerName(),
          e.getMessage());
    }
  }

  private ExitStatus unknownExit() {
    return new ExitStatus(-1, "Unknown", options.clock().instant());
  }

  /** The tracked container, or one left by an earlier runner that is still ours. */
  private Tracked lookup(ContainerHandle handle) {
    Tracked t = tracked.get(handle);
    if (t != null) {
      return t;
    }
    Path file;
    try {
      file = layout.pidFile(handle.id());
    } catch (IllegalArgumentException e) {
      // Not an id this runtime gives out (a pid): not ours.
      return null;
    }
    return read(file)
        .filter(pf -> pf.handle().equals(handle))
        .filter(this::isOurs)
        .map(this::adopt)
        .orElse(null);
  }

  /** Deletes the pid file unless a newer process with the same pid has already replaced it. */
  private void deletePidFile(PidFile pf) {
    Path file = layout.pidFile(Long.toString(pf.pid()));
    try {
      // A string match, not a parse: this runs between an exit and its report.
      if (Files.readString(file).equals(pf.toJson())) {
        Files.deleteIfExists(file);
      }
    } catch (NoSuchFileException e) {
      // Already gone.
    } catch (IOException e) {
      LOG.warn("cannot remove pid file {}: {}", file, e.getMessage());
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.warn("cannot delete {}: {}", file, e.getMessage());
    }
  }

  @Override
  public void removePod(PodKey pod, String podUid) throws InterruptedException {
    tracked.values().removeIf(t -> t.handle().podUid().equals(podUid) && t.exit().isDone());
    tracked.values().stream()
        .filter(t -> t.handle().podUid().equals(podUid))
        .forEach(
            t ->
                LOG.warn(
                    "removePod {}: container {} (pid {}) still runs; keeping its pid file",
                    pod,
                    t.handle().containerName(),
                    t.pid()));
    for (Path file : pidFiles()) {
      read(file)
          .filter(pf -> pf.podUid().equals(podUid) && !isOurs(pf))
          .ifPresent(pf -> deleteQuietly(file));
    }
    try {
      DirectoryTrees.delete(layout.volumesDir(), layout.podVolumesDir(pod, podUid));
    } catch (IOException | IllegalArgumentException e) {
      LOG.warn("removePod {}: cannot delete its emptyDirs: {}", pod, e.getMessage());
    }
    if (tracked.values().stream().noneMatch(t -> t.handle().podUid().equals(podUid))) {
      namespaces.remove(pod, podUid);
    } else {
      LOG.warn("removePod {}: its network namespace is kept while a container runs", pod);
    }
    try {
      pruneLogs(layout.podLogDir(pod, podUid));
    } catch (IllegalArgumentException e) {
      LOG.warn("removePod {}: not pruning its logs: {}", pod, e.getMessage());
    }
  }

  /** Keeps the newest attempt's log of each container. */
  private static void pruneLogs(Path podLogDir) {
    if (!Files.isDirectory(podLogDir)) {
      return;
    }
    try (DirectoryStream<Path> containers =
        Files.newDirectoryStream(podLogDir, Files::isDirectory)) {
      for (Path dir : containers) {
        List<Path> logs;
        try (Stream<Path> files = Files.list(dir)) {
          logs =
              files
                  .filter(f -> f.getFileName().toString().matches("[0-9]+\\.log"))
                  .sorted(Comparator.comparingLong(HostProcessRuntime::attemptOf))
                  .toList();
        }
        for (Path old : logs.subList(0, Math.max(0, logs.size() - 1))) {
          Files.deleteIfExists(old);
        }
      }
    } catch (IOException e) {
      LOG.warn("cannot prune logs under {}: {}", podLogDir, e.getMessage());
    }
  }

  private static long attemptOf(Path log) {
    String name = log.getFileName().toString();
    return Long.parseLong(name.substring(0, name.length() - ".log".length()));
  }

  /**
   * No engine: containers are processes of this host, started by the runner itself, so the version
   * is the host's kernel, which is what runs them ({@code host-process://linux-6.1.0-18-amd64}).
   */
  @Override
  public String version() {
    String kernel;
    try {
      kernel = Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
    } catch (IOException e) {
      kernel = System.getProperty("os.version", "unknown");
    }
    return "host-process://"
        + System.getProperty("os.name", "linux").toLowerCase(Locale.ROOT)
        + "-"
        + kernel;
  }

  /** Copies and truncates each running container's log: the process keeps its open file. */
  @Override
  public void rotateLogs(LogRotator rotator) throws IOException {
    IOException failed = null;
    for (Tracked t : tracked.values()) {
      if (t.exit().isDone()) {
        continue;
      }
      try {
        rotator.rotateIfNeeded(t.pidFile().logPath());
      } catch (IOException e) {
        failed = failed == null ? e : failed;
        if (failed != e) {
          failed.addSuppressed(e);
        }
      }
    }
    if (failed != null) {
      throw failed;
    }
  }

  @Override
  public Optional<Path> logPath(ContainerHandle container) {
    try {
      return Optional.of(
          layout.logFile(
              container.pod(), container.podUid(), container.containerName(), container.attempt()));
    } catch (IllegalArgumentException e) {
      LOG.warn("no log path for {}: {}", container, e.getMessage());
      return Optional.empty();
    }
  }

  @Override
  public void copyLog(LogQuery query, OutputStream out) throws IOException, InterruptedException {
    LogFiles.copy(
        ContainedPath.under(layout.podLogDir(query.pod(), query.podUid()), query.container()),
        LogFiles.Format.PLAIN,
        query,
        out);
  }

  /**
   * Stops watching. Running processes are left alone: a later runner adopts them through their pid
   * files.
   */
  @Override
  public void close() {
    executor.shutdown();
  }
}
