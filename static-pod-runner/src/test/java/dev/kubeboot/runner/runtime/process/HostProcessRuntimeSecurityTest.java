package dev.kubeboot.runner.runtime.process;

import static dev.kubeboot.runner.runtime.process.ProcessPods.container;
import static dev.kubeboot.runner.runtime.process.ProcessPods.pod;
import static dev.kubeboot.runner.runtime.process.ProcessPods.withSecurity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubeboot.runner.pod.Container;
import dev.kubeboot.runner.pod.PodKey;
import dev.kubeboot.runner.pod.SecurityContext;
import dev.kubeboot.runner.pod.StaticPod;
import dev.kubeboot.runner.pod.Volume;
import dev.kubeboot.runner.pod.VolumeMount;
import dev.kubeboot.runner.pod.VolumeSource;
import dev.kubeboot.runner.runtime.ContainerHandle;
import dev.kubeboot.runner.runtime.ContainerStartException;
import dev.kubeboot.runner.runtime.ExecResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a container's own process, another local user or a manifest could do to the host through the
 * process runtime, each tried for real and now harmless. The runner is root here, as on a node:
 * these tests switch users (nobody is the container's user, daemon another local user).
 */
class HostProcessRuntimeSecurityTest {
  private static final long NOBODY = 65534;
  private static final long NOGROUP = 65534;
  private static final SecurityContext AS_NOBODY =
      new SecurityContext(false, Optional.of(NOBODY), Optional.of(NOGROUP));

  @TempDir Path tmp;
  private Path state;
  private Path volumes;
  private Path bin;
  private HostProcessRuntime runtime;
  private final List<Long> started = new ArrayList<>();

  @BeforeAll
  static void root() {
    Assumptions.assumeTrue(
        new ProcFs(Path.of("/proc")).selfUid() == 0, "switching users needs root");
  }

  @BeforeEach
  void setUp() throws IOException {
    // Passable for other users, as /var/lib is: what keeps them out must be the runner's modes.
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx--x--x"));
    state = tmp.resolve("state");
    volumes = tmp.resolve("volumes");
    bin = Files.createDirectories(tmp.resolve("bin"));
    Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
    runtime = newRuntime();
  }

  private HostProcessRuntime newRuntime() {
    return new HostProcessRuntime(
        new HostProcessOptions(state, volumes, List.of(bin), Clock.systemUTC()));
  }

  @AfterEach
  void tearDown() {
    runtime.close();
    started.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
  }

  private ContainerHandle start(StaticPod pod, Container c) throws Exception {
    ContainerHandle h = runtime.start(pod, c, 0);
    started.add(Long.parseLong(h.id()));
    return h;
  }

  private static long pid(ContainerHandle h) {
    return Long.parseLong(h.id());
  }

  /** The identity lines of /proc/PID/status: user, group, supplementary groups, no_new_privs. */
  private static List<String> identity(String status) {
    return status
        .lines()
        .filter(l -> l.matches("(Uid|Gid|Groups|NoNewPrivs):.*"))
        .map(l -> l.replaceAll("\\s+", " ").trim())
        .toList();
  }

  /**
   * /proc/PID/status of the container's main process once it runs its own binary (before that it is
   * still setsid or setpriv, switching).
   */
  private static String mainProcessStatus(ContainerHandle h) throws Exception {
    Path proc = Path.of("/proc/" + pid(h));
    for (int i = 0; i < 500; i++) {
      if (Files.readString(proc.resolve("comm")).trim().equals("sleep")) {
        return Files.readString(proc.resolve("status"));
      }
      Thread.sleep(10);
    }
    throw new AssertionError("pid " + pid(h) + " never became sleep");
  }

  /** Runs a command as another local user (daemon, uid 1); returns its exit code. */
  private static int asOtherUser(String... command) throws Exception {
    List<String> argv =
        new ArrayList<>(List.of("setpriv", "--reuid=1", "--regid=1", "--clear-groups", "--"));
    argv.addAll(List.of(command));
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    return p.exitValue();
  }

  private static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(
        Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
  }

  private static int owner(Path p, String attribute) throws IOException {
    return (Integer) Files.getAttribute(p, "unix:" + attribute, LinkOption.NOFOLLOW_LINKS);
  }

  // --- exec probes and hooks run as the container's main process does -----------------------

  @Test
  void execRunsAsTheContainersUserGroupNoGroupsAndNoNewPrivilegesAsItsMainProcessDoes()
      throws Exception {
    Path secret = tmp.resolve("root-only");
    Files.writeString(secret, "root's secret");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
    Container c = withSecurity(container("app", List.of("sleep", "100")), AS_NOBODY);
    ContainerHandle h = start(pod("app", c), c);

    List<String> main = identity(mainProcessStatus(h));
    ExecResult exec = runtime.exec(h, List.of("cat", "/proc/self/status"), Duration.ofSeconds(5));

    assertThat(exec.exitCode()).isZero();
    assertThat(identity(exec.output())).isEqualTo(main);
    assertThat(main)
        .containsExactly(
            "Uid: 65534 65534 65534 65534",
            "Gid: 65534 65534 65534 65534",
            "Groups:",
            "NoNewPrivs: 1");
    // The attack: a probe or preStop hook reading what only root may read.
    ExecResult attack = runtime.exec(h, List.of("cat", secret.toString()), Duration.ofSeconds(5));
    assertThat(attack.exitCode()).isNotZero();
    assertThat(attack.output()).doesNotContain("root's secret");
    // A timed-out exec of another user is still killed, with its group.
    ExecResult slow = runtime.exec(h, List.of("sh", "-c", "sleep 30"), Duration.ofMillis(300));
    assertThat(slow.timedOut()).isTrue();
    runtime.stop(h, Duration.ofSeconds(2));
  }

  @Test
  void aUserWithoutAGroupRunsWithItsPrimaryGroupFromPasswdNeverGroupZero() throws Exception {
    Container c =
        withSecurity(
            container("app", List.of("sleep", "100")),
            new SecurityContext(false, Optional.of(NOBODY), Optional.empty()));
    ContainerHandle h = start(pod("app", c), c);

    assertThat(identity(mainProcessStatus(h))).contains("Gid: 65534 65534 65534 65534", "Groups:");
    assertThat(runtime.exec(h, List.of("id", "-g"), Duration.ofSeconds(5)).output())
        .isEqualTo("65534\n");
    runtime.stop(h, Duration.ofSeconds(2));

    Container unknown =
        withSecurity(
            container("app", List.of("sleep", "100")),
            new SecurityContext(false, Optional.of(4_242_424L), Optional.empty()));
    assertThatThrownBy(() -> runtime.start(pod("app", unknown), unknown, 0))
        .isInstanceOfSatisfying(
            ContainerStartException.class,
            e -> assertThat(e.reason()).isEqualTo("CreateContainerConfigError"))
        .hasMessageContaining("runAsUser 4242424 has no entry in /etc/passwd")
        .hasMessageContaining("runAsGroup");
  }

  // --- adoption never trusts /proc/<pid>/environ or cwd ----------------------------------------

  @Test
  void afterARunnerRestartExecNeverRunsWithWhatTheProcessPlantedInItsEnvironmentOrDirectory()
      throws Exception {
    Path plant = Files.createDirectories(tmp.resolve("plant"));
    Files.setPosixFilePermissions(plant, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path pwned = Files.createDirectories(tmp.resolve("pwned"));
    Files.setPosixFilePermissions(pwned, PosixFilePermissions.fromString("rwxrwxrwx"));
    Path evilShell = plant.resolve("sh");
    Files.writeString(evilShell, "#!/bin/sh\ntouch " + pwned + "/ran-as-$(id -u)\n");
    Files.setPosixFilePermissions(evilShell, PosixFilePermissions.fromString("rwxr-xr-x"));
    // The container's own process (not root) re-execs itself in place: same pid, same start
    // time, markers kept, but a PATH, an LD_PRELOAD and a working directory of its choosing.
    Container c =
        withSecurity(
            container(
                "app",
                List.of(
                    "sh",
                    "-c",
                    "cd "
                        + plant
                        + " && exec env PATH="
                        + plant
                        + ":/usr/bin:/bin LD_PRELOAD="
                        + plant
                        + "/evil.so sleep 1000")),
            AS_NOBODY);
    StaticPod pod = pod("app", c);
    ContainerHandle h = start(pod, c);
    awaitPlanted(pid(h));

    runtime.close();
    runtime = newRuntime();
    assertThat(runtime.listOwned()).containsExactly(h);
    runtime.resume(h, pod, c);
    ExecResult probe =
        runtime.exec(
            h,
            List.of("sh", "-c", "echo PATH=$PATH; echo LD_PRELOAD=$LD_PRELOAD; pwd"),
            Duration.ofSeconds(5));

    assertThat(probe.exitCode()).isZero();
    assertThat(probe.output())
        .isEqualTo(
            "PATH=" + bin + ":" + HostProcessRuntime.SYSTEM_PATH + "\nLD_PRELOAD=\n" + "/\n");
    try (Stream<Path> files = Files.list(pwned)) {
      assertThat(files).as("the planted sh never ran").isEmpty();
    }
    runtime.stop(h, Duration.ofSeconds(2));
  }

  private static void awaitPlanted(long pid) throws Exception {
    Path environ = Path.of("/proc/" + pid + "/environ");
    for (int i = 0; i < 500; i++) {
      if (new String(Files.readAllBytes(environ), StandardCharsets.UTF_8).contains("LD_PRELOAD=")) {
        return;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("the container never rewrote its environment");
  }

  // --- metadata.uid cannot lead outside the runner's directories -------------------------------

  @Test
  void aUidThatClimbsOutCreatesAndDeletesNothingOutside() throws Exception {
    runtime.close();
    Path a = Files.createDirectories(tmp.resolve("a"));
    state = a.resolve("state");
    volumes = a.resolve("volumes");
    runtime = newRuntime();
    // Where x/../../../victim leads from <a>/state/pods/<dir> and from <a>/volumes/<dir>.
    Path[] victims = {tmp.resolve("victim"), a.resolve("victim")};
    for (Path v : victims) {
      Files.createDirectories(v);
      Files.writeString(v.resolve("precious"), "keep me");
    }
    String uid = "x/../../../victim";
    Container c =
        container(
            "app",
            "registry.k8s.io/app:v1",
            List.of("true"),
            List.of(),
            List.of(new VolumeMount("scratch", "/scratch", false)),
            List.of());
    StaticPod pod =
        pod("app", uid, List.of(c), List.of(new Volume("scratch", new VolumeSource.EmptyDir())));

    assertThatThrownBy(() -> runtime.start(pod, c, 0))
        .isInstanceOfSatisfying(
            ContainerStartException.class,
            e -> assertThat(e.reason()).isEqualTo("CreateContainerConfigError"))
        .hasMessageContaining("x/../../../victim");
    runtime.removePod(pod.key(), uid);

    for (Path v : victims) {
      assertThat(v.resolve("precious")).hasContent("keep me");
    }
    try (Stream<Path> files = Files.list(a)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsOnly("state", "victim");
    }
  }

  // --- modes and owners ------------------------------------------------------------------------

  @Test
  void stateLogsAndPidFilesAreClosedToOtherUsers() throws Exception {
    runtime.close();
    Files.createDirectories(state);
    Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxr-xr-x"));
    runtime = newRuntime();
    assertThat(mode(state)).as("an existing state dir is closed").isEqualTo("rwx------");

    Container c = container("app", List.of("sh", "-c", "echo secret-in-log; sleep 100"));
    StaticPod pod = pod("app", c);
    ContainerHandle h = start(pod, c);
    Path log = runtime.logPath(h).orElseThrow();
    Path podLogs = state.resolve("pods/kube-system_app-node1_" + pod.uid());

    assertThat(mode(state.resolve("containers"))).isEqualTo("rwx------");
    assertThat(mode(state.resolve("containers/" + h.id() + ".json"))).isEqualTo("rw-------");
    for (Path dir : List.of(state.resolve("pods"), podLogs, podLogs.resolve("app"))) {
      assertThat(mode(dir)).as(dir.toString()).isEqualTo("rwxr-x---");
      assertThat(owner(dir, "uid")).isZero();
    }
    assertThat(log).isEqualTo(podLogs.resolve("app/0.log"));
    assertThat(mode(log)).isEqualTo("rw-r-----");
    assertThat(owner(log, "uid")).isZero();
    // The attack: another local user reading a container's log or a pid file.
    assertThat(asOtherUser("cat", log.toString())).isNotZero();
    assertThat(asOtherUser("ls", state.toString())).isNotZero();
    runtime.stop(h, Duration.ofSeconds(2));
  }

  @Test
  void aSharedOrForeignStateDirIsRefusedNotTakenOver() throws Exception {
    runtime.close();
    Path shared = Files.createDirectories(tmp.resolve("shared"));
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
    Files.setAttribute(shared, "unix:mode", 01777);
    Path foreign = Files.createDirectories(tmp.resolve("foreign"));
    Files.setPosixFilePermissions(foreign, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setAttribute(foreign, "unix:uid", 1);

    for (Path dir : List.of(shared, foreign)) {
      assertThatThrownBy(
              () ->
                  new HostProcessRuntime(
                      new HostProcessOptions(dir, volumes, List.of(bin), Clock.systemUTC())))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("cannot use state dir " + dir);
    }
    assertThat(mode(shared)).isEqualTo("rwxrwxrwx");
    assertThat(mode(foreign)).isEqualTo("rwxr-xr-x");
    runtime = newRuntime();
  }

  @Test
  void anEmptyDirBelongsToThePodsUserAndIsClosedToOthers() throws Exception {
    Container c =
        withSecurity(
            container(
                "app",
                "registry.k8s.io/app:v1",
                List.of("sh", "-c", "echo mine > \"$0/file\" && exec sleep 100", "/scratch"),
                List.of(),
                List.of(new VolumeMount("scratch", "/scratch", false)),
                List.of()),
            new SecurityContext(false, Optional.of(NOBODY), Optional.empty()));
    StaticPod pod =
        pod(
            "app",
            "0123456789abcdef0123456789abcdef",
            List.of(c),
            List.of(new Volume("scratch", new VolumeSource.EmptyDir())));
    ContainerHandle h = start(pod, c);
    Path podDir = volumes.resolve("kube-system_app-node1_" + pod.uid());
    Path emptyDir = podDir.resolve("scratch");
    awaitContent(emptyDir.resolve("file"), "mine\n");

    assertThat(mode(emptyDir)).isEqualTo("rwxr-x---");
    assertThat(owner(emptyDir, "uid")).isEqualTo(NOBODY);
    assertThat(owner(emptyDir, "gid")).isEqualTo(NOGROUP);
    assertThat(emptyDir.resolve("file")).hasContent("mine");
    for (Path dir : List.of(volumes, podDir)) {
      assertThat(mode(dir)).as(dir.toString()).isEqualTo("rwx--x--x");
      assertThat(owner(dir, "uid")).isZero();
    }
    // The attack: another local user planting or reading files in a pod's emptyDir.
    assertThat(asOtherUser("touch", emptyDir.resolve("planted").toString())).isNotZero();
    assertThat(asOtherUser("cat", emptyDir.resolve("file").toString())).isNotZero();
    assertThat(asOtherUser("ls", volumes.toString())).isNotZero();
    runtime.stop(h, Duration.ofSeconds(2));
  }

  /** The shell creates the file before it writes it: wait for the content, not the name. */
  private static void awaitContent(Path file, String content) throws Exception {
    for (int i = 0;
        i < 500 && !(Files.exists(file) && Files.readString(file).equals(content));
        i++) {
      Thread.sleep(10);
    }
    assertThat(file).hasContent(content.strip());
  }

  // --- signals never reach a reused pid ---------------------------------------------------------

  @Test
  void aRecordedPidWhoseStartTimeDiffersIsNeverSignalled() throws Exception {
    // A process that got the pid a container once had: a group leader, as containers are.
    Process stranger = new ProcessBuilder("setsid", "sleep", "1000").start();
    started.add(stranger.pid());
    long ticks = new ProcFs(Path.of("/proc")).stat(stranger.pid()).orElseThrow().startTicks();
    PidFile recorded =
        new PidFile(
            stranger.pid(),
            ticks - 1,
            new PodKey("kube-system", "app-node1"),
            "0123456789abcdef0123456789abcdef",
            "app",
            0,
            Instant.now(),
            "hash",
            state.resolve("pods/x/app/0.log"));
    Path pidFile =
        Files.createDirectories(state.resolve("containers")).resolve(stranger.pid() + ".json");
    Files.writeString(pidFile, recorded.toJson());

    runtime.stop(recorded.handle(), Duration.ofMillis(100));
    assertThat(runtime.listOwned()).isEmpty();
    runtime.removePod(recorded.pod(), recorded.podUid());

    assertThat(stranger.waitFor(300, TimeUnit.MILLISECONDS)).isFalse();
    assertThat(stranger.isAlive()).isTrue();
    assertThat(pidFile).doesNotExist();
  }
}
