package dev.kubeboot.packaging;

import static dev.kubeboot.packaging.Dist.BARE_ENV;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The release archive as an operator meets it: unpacked into an empty directory, run from a shell
 * with no JDK in reach (PATH=/usr/bin:/bin, no JAVA_HOME).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReleaseArchiveIT {
  private static final Duration COMMAND = Duration.ofMinutes(3);
  private static final String CRI_SOCKET = "/run/kubeboot-test-containerd/containerd.sock";
  private static final String TEST_IMAGE = "kubeboot.test/busybox:1";

  // static: JUnit fills an instance field only before each test, after @BeforeAll
  @TempDir static Path empty;
  private Path home;

  @BeforeAll
  void unpack() throws Exception {
    assertThat(Dist.ARCHIVE).as("the archive the package phase made").isRegularFile();
    try (var files = Files.list(empty)) {
      assertThat(files).isEmpty();
    }
    Dist.run(COMMAND, Dist.hostEnv(), empty, "tar", "-xzf", Dist.ARCHIVE.toString(), "-C", ".")
        .assertOk("tar");
    try (var top = Files.list(empty)) {
      List<Path> dirs = top.toList();
      assertThat(dirs).as("one top directory").hasSize(1);
      home = dirs.get(0);
    }
    assertThat(home.getFileName()).hasToString("kubeboot-" + Dist.VERSION);
  }

  @Test
  void holdsTheLauncherRuntimeJarsAotCacheDocsUnitAndLicense() {
    for (String file :
        List.of(
            "bin/kubeboot",
            "runtime/bin/java",
            "runtime/lib/modules",
            "runtime/lib/server/classes.jsa",
            "lib/kubeboot.jar",
            "lib/kubeboot-libs.jar",
            "lib/kubeboot.aot",
            "lib/jvm-opts.sh",
            "share/man/man1/kubeboot.1.gz",
            "share/man/man1/kubeboot-init.1.gz",
            "share/man/man1/kubeboot-runner.1.gz",
            "share/bash-completion/completions/kubeboot",
            "share/zsh/site-functions/_kubeboot",
            "systemd/kubeboot-runner.service",
            "LICENSE")) {
      assertThat(home.resolve(file)).as(file).isRegularFile();
    }
    assertThat(home.resolve("bin/kubeboot")).isExecutable();
    // the installed launcher never builds: no Maven, no source tree
    assertThat(home.resolve("bin/kubeboot")).content().doesNotContain("mvnw", "cli/target");
    assertThat(home.resolve("runtime/bin/java")).isExecutable();
    assertThat(home.resolve("LICENSE")).content().contains("Apache License", "Version 2.0");
    assertThat(home.resolve("systemd/kubeboot-runner.service"))
        .content()
        .contains("ExecStart=/usr/local/bin/kubeboot runner $KUBEBOOT_RUNNER_ARGS");
    assertThat(home).isDirectoryNotContaining("glob:**/jwebserver");
  }

  @Test
  void versionRunsWithNoJdkInReach() throws Exception {
    var result =
        Dist.run(COMMAND, BARE_ENV, empty, home.resolve("bin/kubeboot").toString(), "--version")
            .assertOk("kubeboot --version");
    assertThat(result.out()).startsWith("kubeboot version v" + Dist.VERSION + " ");
  }

  @Test
  void theLauncherRunsTheBundledRuntime() throws Exception {
    var env = new HashMap<>(BARE_ENV);
    env.put("JAVA_TOOL_OPTIONS", "-Xlog:class+path=info");
    var result =
        Dist.run(COMMAND, env, empty, home.resolve("bin/kubeboot").toString(), "version")
            .assertOk("kubeboot version");
    assertThat(result.out())
        .contains("bootstrap loader class path=" + home.resolve("runtime/lib/modules"));
  }

  @Test
  void aRenderOnlyInitWritesTheClusterFiles() throws Exception {
    Path kube = empty.resolve("render/kubernetes");
    var result =
        Dist.run(
                COMMAND,
                BARE_ENV,
                empty,
                home.resolve("bin/kubeboot").toString(),
                "init",
                "--kubernetes-dir",
                kube.toString(),
                "--skip-phases",
                "runner-start,wait-control-plane",
                "--ignore-preflight-errors=all",
                "--apiserver-advertise-address",
                "127.0.0.1",
                "--node-name",
                "archive-test")
            .assertOk("kubeboot init");
    assertThat(result.out()).contains("[certs] Generating \"ca\" certificate and key");
    for (String file :
        List.of(
            "pki/ca.crt",
            "pki/apiserver.key",
            "pki/etcd/server.crt",
            "admin.conf",
            "manifests/etcd.yaml",
            "manifests/kube-apiserver.yaml",
            "manifests/kube-controller-manager.yaml",
            "manifests/kube-scheduler.yaml")) {
      assertThat(kube.resolve(file)).as(file).isRegularFile();
    }
  }

  @Test
  void theAotCacheFitsTheBundledRuntimeAndTheLauncherUsesIt() throws Exception {
    // AOTMode=on: the JVM refuses to start rather than run without the cache.
    Dist.run(
            COMMAND,
            BARE_ENV,
            home,
            "runtime/bin/java",
            "-XX:AOTCache=lib/kubeboot.aot",
            "-XX:AOTMode=on",
            "-XX:+UseSerialGC",
            "-jar",
            "lib/kubeboot.jar",
            "version")
        .assertOk("the bundled runtime with the AOT cache, AOTMode=on");
    var flags =
        Dist.run(
                COMMAND,
                BARE_ENV,
                home,
                "bash",
                "-c",
                "JAVA_HOME=\"$PWD/runtime\"; source lib/jvm-opts.sh;"
                    + " kubeboot_jvm_opts \"$PWD/lib/kubeboot.jar\" init;"
                    + " echo \"${KUBEBOOT_JVM_OPTS[*]}\"")
            .assertOk("kubeboot_jvm_opts");
    assertThat(flags.out()).contains("-XX:AOTCache=" + home.resolve("lib/kubeboot.aot"));
  }

  @Test
  void theRuntimeHoldsTheModulesTheJarsNeedAndNoOthers() throws Exception {
    Set<String> runtime =
        Dist.run(COMMAND, BARE_ENV, home, "runtime/bin/java", "--list-modules")
            .assertOk("java --list-modules")
            .out()
            .lines()
            .map(line -> line.replaceFirst("@.*", "").strip())
            .filter(line -> !line.isEmpty())
            .collect(Collectors.toCollection(TreeSet::new));
    // jdeps over the shipped jars: every module their classes reference must be in the runtime.
    String jdeps = Path.of(System.getProperty("java.home"), "bin", "jdeps").toString();
    var needed =
        Dist.run(
                Duration.ofMinutes(5),
                Dist.hostEnv(),
                home,
                jdeps,
                "--multi-release",
                String.valueOf(Runtime.version().feature()),
                "--ignore-missing-deps",
                "--print-module-deps",
                "lib/kubeboot.jar",
                "lib/kubeboot-libs.jar")
            .assertOk("jdeps");
    Set<String> referenced =
        Arrays.stream(needed.out().strip().split(","))
            .map(String::strip)
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(runtime).containsAll(referenced);
    // and nothing beyond the modules the pom names and what they require
    Set<String> configured = Set.of(Dist.property("kubeboot.jlink.modules").split(","));
    assertThat(runtime).isEqualTo(closure(configured));
  }

  /** The runner as the systemd unit starts it (bin/kubeboot runner), on each runtime. */
  @ParameterizedTest(name = "the runner from the archive runs a pod on the {0} runtime")
  @ValueSource(strings = {"process", "docker", "cri"})
  void theRunnerFromTheArchiveRunsAPod(String runtime) throws Exception {
    switch (runtime) {
      case "docker" ->
          assumeTrue(
              Dist.run(COMMAND, Dist.hostEnv(), Dist.REPO, "bash", "scripts/docker-test-env.sh")
                      .code()
                  == 0,
              "no Docker engine (scripts/docker-test-env.sh failed)");
      case "cri" ->
          assumeTrue(
              Dist.run(
                          Duration.ofMinutes(10),
                          Dist.hostEnv(),
                          Dist.REPO,
                          "bash",
                          "scripts/containerd-test-env.sh")
                      .code()
                  == 0,
              "no containerd with the CRI plugin (scripts/containerd-test-env.sh failed)");
      default -> {}
    }
    Path dir = empty.resolve("runner-" + runtime);
    Path manifests = Files.createDirectories(dir.resolve("manifests"));
    Path state = Files.createDirectories(dir.resolve("state"));
    int port = Dist.freePort();
    String name = "archive-" + runtime;
    long seconds = 100_000 + ProcessHandle.current().pid();
    List<String> command =
        Dist.command(
            home.resolve("bin/kubeboot").toString(),
            "runner",
            "--pod-manifest-path",
            manifests.toString(),
            "--state-dir",
            state.toString(),
            "--node-name",
            "archive-node",
            "--node-ip",
            "127.0.0.1",
            "--status-port",
            String.valueOf(port),
            "--container-runtime",
            runtime);
    if (runtime.equals("cri")) {
      command.addAll(List.of("--container-runtime-endpoint", "unix://" + CRI_SOCKET));
    }
    var builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("runner.log").toFile());
    builder.environment().clear();
    builder.environment().putAll(BARE_ENV);
    Process runner = builder.start();
    try {
      Files.writeString(
          manifests.resolve(name + ".yaml"),
          """
          apiVersion: v1
          kind: Pod
          metadata:
            name: %s
            namespace: kube-system
          spec:
            hostNetwork: true
            terminationGracePeriodSeconds: 2
            containers:
            - name: main
              image: %s
              command: ["sleep", "%d"]
          """
              .formatted(name, TEST_IMAGE, seconds));
      String pods = awaitPods(port, runner, dir, "\"phase\" : \"Running\"", Duration.ofMinutes(2));
      assertThat(pods).contains(name + "-archive-node", "\"runtime\" : \"" + runtime + "\"");
      // Taking the manifest away makes the runner stop and remove the pod.
      Files.delete(manifests.resolve(name + ".yaml"));
      awaitPods(port, runner, dir, "\"pods\" : [ ]", Duration.ofMinutes(2));
    } finally {
      runner.destroy();
      if (!runner.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
        runner.destroyForcibly().waitFor();
      }
    }
  }

  private static String awaitPods(
      int port, Process runner, Path dir, String wanted, Duration timeout) throws Exception {
    var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    var request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/pods"))
            .timeout(Duration.ofSeconds(2))
            .build();
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      if (!runner.isAlive()) {
        throw new AssertionError("the runner exited with " + runner.exitValue() + ":\n" + log(dir));
      }
      try {
        last = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
        if (last.contains(wanted)) {
          return last;
        }
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        "no " + wanted + " on /pods within " + timeout + ": " + last + "\n" + log(dir));
  }

  private static String log(Path dir) throws IOException {
    Path log = dir.resolve("runner.log");
    return Files.exists(log) ? Files.readString(log) : "(no runner log)";
  }

  /** The named modules and every module they require, as jlink resolves them. */
  private static Set<String> closure(Set<String> roots) {
    var finder = ModuleFinder.ofSystem();
    var seen = new TreeSet<String>();
    var todo = new ArrayDeque<>(roots);
    while (!todo.isEmpty()) {
      String name = todo.pop();
      if (!seen.add(name)) {
        continue;
      }
      ModuleDescriptor descriptor =
          finder
              .find(name)
              .orElseThrow(() -> new AssertionError("no module " + name + " in the build JDK"))
              .descriptor();
      descriptor.requires().stream()
          .filter(r -> !r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC))
          .map(ModuleDescriptor.Requires::name)
          .forEach(todo::push);
    }
    return seen;
  }
}
