package dev.kubeboot.runner;

import static dev.kubeboot.runner.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.kubeboot.runner.pod.PodKey;
import dev.kubeboot.runner.status.ContainerState;
import dev.kubeboot.runner.status.ContainerStatus;
import dev.kubeboot.runner.status.PodStatus;
import dev.kubeboot.runner.status.RunnerStatusReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The real runner: manifest files on disk, host processes, the real prober, the system clock. */
@Timeout(60)
class StaticPodRunnerProcessTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final PodKey SLEEPER = new PodKey("kube-system", "sleeper-node1");

  @TempDir Path dir;
  private Path manifests;
  private Path stateDir;
  private StaticPodRunner runner;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void dirs() throws Exception {
    manifests = Files.createDirectories(dir.resolve("manifests"));
    stateDir = dir.resolve("state");
  }

  @AfterEach
  void stopAll() throws Exception {
    if (runner != null) {
      runner.shutdown(true);
    }
    http.close();
  }

  private StaticPodRunner startRunner() throws Exception {
    return Runners.start(
        RunnerSpec.builder(manifests, "node1", "127.0.0.1", stateDir)
            .statusPort(0)
            .runtime("process")
            .build());
  }

  private void writeManifest(String file, String content) throws Exception {
    ManifestFiles.write(manifests, file, content);
  }

  private static String sleeperPod(String seconds, String extraContainerFields) {
    return """
    apiVersion: v1
    kind: Pod
    metadata:
      name: sleeper
      namespace: kube-system
    spec:
      hostNetwork: true
      terminationGracePeriodSeconds: 5
      containers:
      - name: main
        image: registry.k8s.io/sleeper:1
        command: ["sleep", "%s"]
    %s\
    """
        .formatted(seconds, extraContainerFields.indent(4));
  }

  private PodStatus pod(PodKey key) {
    return runner
        .status()
        .pod(key)
        .orElseThrow(() -> new AssertionError("no pod " + key + " in " + runner.status()));
  }

  private long runningPid(PodKey key, String container) {
    ContainerStatus c = pod(key).container(container).orElseThrow();
    assertThat(c.state()).isInstanceOf(ContainerState.Running.class);
    long pid = Long.parseLong(c.containerID().substring("process://".length()));
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);
    return pid;
  }

  private long awaitRunning(PodKey key, String container) {
    long[] pid = new long[1];
    eventually(WAIT, () -> pid[0] = runningPid(key, container));
    return pid[0];
  }

  private static void awaitGone(long pid) {
    eventually(
        WAIT,
        () ->
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse());
  }

  @Test
  void aManifestFileRunsItsProcessAndAnEditReplacesIt() throws Exception {
    runner = startRunner();
    writeManifest("sleeper.yaml", sleeperPod("3600", ""));
    long first = awaitRunning(SLEEPER, "main");
    String firstUid = pod(SLEEPER).uid();
    // The container's process execs through setsid/setpriv: its command line shows sleep once the
    // last exec is done, and reads empty while one is in progress.
    eventually(
        WAIT,
        () ->
            assertThat(ProcessHandle.of(first).orElseThrow().info().commandLine().orElse(""))
                .contains("sleep"));

    writeManifest("sleeper.yaml", sleeperPod("3601", ""));

    eventually(WAIT, () -> assertThat(pod(SLEEPER).uid()).isNotEqualTo(firstUid));
    long second = awaitRunning(SLEEPER, "main");
    assertThat(second).isNotEqualTo(first);
    awaitGone(first);
  }

  @Test
  void aDeletedManifestStopsItsProcess() throws Exception {
    runner = startRunner();
    writeManifest("sleeper.yaml", sleeperPod("3600", ""));
    long pid = awaitRunning(SLEEPER, "main");

    Files.delete(manifests.resolve("sleeper.yaml"));

    awaitGone(pid);
    eventually(WAIT, () -> assertThat(runner.status().pods()).isEmpty());
  }

  @Test
  void aKilledProcessIsRestartedAtOnce() throws Exception {
    runner = startRunner();
    writeManifest("sleeper.yaml", sleeperPod("3600", ""));
    long pid = awaitRunning(SLEEPER, "main");

    ProcessHandle.of(pid).orElseThrow().destroyForcibly();

    eventually(
        WAIT,
        () -> {
          ContainerStatus c = pod(SLEEPER).container("main").orElseThrow();
          assertThat(c.restartCount()).isEqualTo(1);
          assertThat(c.lastState())
              .get()
              .extracting(ContainerState.Terminated::exitCode)
              .isEqualTo(137);
          assertThat(runningPid(SLEEPER, "main")).isNotEqualTo(pid);
        });
  }

  @Test
  void anInvalidFileIsReportedAndGoodPodsKeepRunning() throws Exception {
    runner = startRunner();
    writeManifest("sleeper.yaml", sleeperPod("3600", ""));
    long pid = awaitRunning(SLEEPER, "main");

    writeManifest("broken.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {}\n");

    eventually(
        WAIT,
        () ->
            assertThat(runner.status().manifestErrors())
                .singleElement()
                .satisfies(e -> assertThat(e.file()).endsWith("broken.yaml")));
    assertThat(runningPid(SLEEPER, "main")).isEqualTo(pid);
    HttpResponse<String> pods = get("/pods");
    assertThat(RunnerStatusReader.parse(pods.body()).manifestErrors()).hasSize(1);
  }

  @Test
  void aNewRunnerOverTheSameStateAdoptsRunningProcessesWithoutRestarting() throws Exception {
    runner = startRunner();
    writeManifest("sleeper.yaml", sleeperPod("3600", ""));
    long pid = awaitRunning(SLEEPER, "main");

    runner.close();
    runner = null;
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);

    runner = startRunner();

    eventually(WAIT, () -> assertThat(runningPid(SLEEPER, "main")).isEqualTo(pid));
    assertThat(pod(SLEEPER).container("main").orElseThrow().restartCount()).isZero();
    Thread.sleep(300);
    assertThat(runningPid(SLEEPER, "main")).isEqualTo(pid);
  }

  @Test
  void aReadinessProbeMakesThePodReadyOnceItPasses() throws Exception {
    Path flag = dir.resolve("ready");
    runner = startRunner();
    writeManifest(
        "sleeper.yaml",
        sleeperPod(
            "3600",
            """
            readinessProbe:
              exec:
                command: ["test", "-f", "%s"]
              periodSeconds: 1
            """
                .formatted(flag)));
    awaitRunning(SLEEPER, "main");
    Thread.sleep(1200);
    assertThat(pod(SLEEPER).ready()).isFalse();

    Files.writeString(flag, "");

    eventually(WAIT, () -> assertThat(pod(SLEEPER).ready()).isTrue());
  }

  /** A pod running as nobody (the pod's securityContext), with one more volume and fields. */
  private static String nobodyPod(String command, String volumes, String containerFields) {
    return """
    apiVersion: v1
    kind: Pod
    metadata:
      name: sleeper
      namespace: kube-system
    spec:
      hostNetwork: true
      terminationGracePeriodSeconds: 5
      securityContext: {runAsUser: 65534}
      volumes: %s
      containers:
      - name: main
        image: registry.k8s.io/sleeper:1
        command: %s
    %s\
    """
        .formatted(volumes, command, containerFields.indent(4));
  }

  /** A directory only nobody may write, below the test dir opened for passing. */
  private Path nobodysDir(String name) throws Exception {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
    Path out = Files.createDirectories(dir.resolve(name));
    Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setAttribute(out, "unix:uid", 65534);
    Files.setAttribute(out, "unix:gid", 65534);
    return out;
  }

  @Test
  void execProbesAndPreStopHooksRunAsTheContainersUser() throws Exception {
    Assumptions.assumeTrue(isRoot(), "switching users needs root");
    Path out = nobodysDir("out");
    runner = startRunner();
    writeManifest(
        "sleeper.yaml",
        nobodyPod(
            "[\"sleep\", \"3600\"]",
            "[{name: out, hostPath: {path: %s, type: Directory}}]".formatted(out),
            """
            volumeMounts: [{name: out, mountPath: /out}]
            readinessProbe:
              exec:
                command: ["sh", "-c", "id -u > \\"$0/probe\\"; test $(id -u):$(id -g) = 65534:65534", "/out"]
              periodSeconds: 1
            lifecycle:
              preStop:
                exec:
                  command: ["sh", "-c", "id > \\"$0/prestop\\"", "/out"]
            """));
    long pid = awaitRunning(SLEEPER, "main");
    eventually(WAIT, () -> assertThat(pod(SLEEPER).ready()).isTrue());
    assertThat(out.resolve("probe")).hasContent("65534");

    Files.delete(manifests.resolve("sleeper.yaml"));

    awaitGone(pid);
    assertThat(Files.readString(out.resolve("prestop")))
        .startsWith("uid=65534(nobody) gid=65534(nogroup)");
  }

  @Test
  void afterARunnerRestartProbesDoNotRunWithWhatTheProcessPlantedInItsEnvironment()
      throws Exception {
    Assumptions.assumeTrue(isRoot(), "switching users needs root");
    Path plant = nobodysDir("plant");
    Path pwned = nobodysDir("pwned");
    Files.writeString(plant.resolve("sh"), "#!/bin/sh\ntouch " + pwned + "/ran-as-$(id -u)\n");
    Files.setPosixFilePermissions(
        plant.resolve("sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
    runner = startRunner();
    // The container's process re-execs itself in place (same pid and start time) with a PATH, an
    // LD_PRELOAD and a working directory of its choosing.
    writeManifest(
        "sleeper.yaml",
        nobodyPod(
            "[\"sh\", \"-c\", \"cd %1$s && exec env PATH=%1$s:/usr/bin:/bin LD_PRELOAD=%1$s/evil.so sleep 3600\"]"
                .formatted(plant),
            "[]",
            """
            readinessProbe:
              exec:
                command: ["sh", "-c", "test -z \\"$LD_PRELOAD\\" && test $(pwd) = /"]
              periodSeconds: 1
            """));
    long pid = awaitRunning(SLEEPER, "main");
    eventually(
        WAIT,
        () ->
            assertThat(Files.readString(Path.of("/proc/" + pid + "/environ")))
                .contains("LD_PRELOAD=" + plant));

    runner.close();
    runner = startRunner();

    eventually(WAIT, () -> assertThat(runningPid(SLEEPER, "main")).isEqualTo(pid));
    eventually(WAIT, () -> assertThat(pod(SLEEPER).ready()).isTrue());
    try (var files = Files.list(pwned)) {
      assertThat(files).as("the planted sh never ran").isEmpty();
    }
  }

  private static boolean isRoot() throws Exception {
    return Files.readString(Path.of("/proc/self/status"))
        .lines()
        .anyMatch(l -> l.matches("Uid:\\s+0\\s.*"));
  }

  @Test
  void podsAndHealthzAnswerOverHttpAndTheStateFileMatches() throws Exception {
    runner = startRunner();
    writeManifest("sleeper.yaml", sleeperPod("3600", ""));
    long pid = awaitRunning(SLEEPER, "main");
    eventually(WAIT, () -> assertThat(pod(SLEEPER).ready()).isTrue());

    assertThat(get("/healthz").body()).isEqualTo("ok");
    Map<String, Object> json = JSON.std.mapFrom(get("/pods").body());
    assertThat(((Map<?, ?>) json.get("runner")).get("runtime")).isEqualTo("process");
    Map<?, ?> pod = (Map<?, ?>) ((List<?>) json.get("pods")).getFirst();
    assertThat(((Map<?, ?>) pod.get("metadata")).get("name")).isEqualTo("sleeper-node1");
    Map<?, ?> status = (Map<?, ?>) pod.get("status");
    assertThat(status.get("phase")).isEqualTo("Running");
    assertThat(status.get("podIP")).isEqualTo("127.0.0.1");
    Map<?, ?> main = (Map<?, ?>) ((List<?>) status.get("containerStatuses")).getFirst();
    assertThat(main.get("containerID")).isEqualTo("process://" + pid);
    assertThat(main.get("ready")).isEqualTo(true);
    assertThat(main.get("restartCount")).isEqualTo(0);
    assertThat(((Map<?, ?>) main.get("state")).keySet().toString()).isEqualTo("[running]");
    eventually(
        WAIT, () -> assertThat(RunnerStatusReader.read(runner.stateFile()).pods()).hasSize(1));
  }

  private HttpResponse<String> get(String path) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + runner.statusAddress().getPort() + path);
    return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
  }
}
