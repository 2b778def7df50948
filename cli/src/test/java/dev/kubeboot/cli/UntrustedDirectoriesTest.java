package dev.kubeboot.cli;

import static dev.kubeboot.cli.CliRun.kubeboot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Root's init, runner and reset against directories another local user ({@code nobody}) owns: each
 * refuses before it writes, runs or removes anything, naming the path, its owner and mode.
 */
class UntrustedDirectoriesTest {
  @TempDir Path tmp;
  private Path underTmp;

  @BeforeEach
  void asRoot() throws IOException {
    assumeTrue(
        (int) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0,
        "the attacks need root, to act as another user");
  }

  @AfterEach
  void removeTheAttackersDirectory() throws Exception {
    if (underTmp != null) {
      new ProcessBuilder("rm", "-rf", "--", underTmp.toString()).start().waitFor();
    }
  }

  @Test
  void rootsRunnerRefusesAManifestDirectoryNobodyOwns() throws Exception {
    Path k = Files.createDirectories(tmp.resolve("k"));
    Path manifests = Files.createDirectories(k.resolve("manifests"));
    giveToNobody(manifests);

    CliRun run =
        kubeboot(
            "runner",
            "--pod-manifest-path",
            manifests.toString(),
            "--state-dir",
            k.resolve("runner").toString(),
            "--container-runtime",
            "process",
            "--node-name",
            "n1",
            "--node-ip",
            "127.0.0.1");

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err())
        .contains("refusing " + manifests + ": it is owned by nobody (uid 65534, mode 0755)")
        .contains("chown root:root " + manifests);
    assertThat(k.resolve("runner")).doesNotExist();
  }

  @Test
  void rootsInitRefusesAKubernetesDirectoryNobodyMadeBelowTmp() throws Exception {
    underTmp =
        Path.of("/tmp/kubeboot-attack-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
    asNobody("mkdir", "-m", "0755", underTmp.toString());
    Path kubernetes = underTmp.resolve("kubernetes");

    CliRun run =
        kubeboot(
            "init",
            "--kubernetes-dir",
            kubernetes.toString(),
            "--skip-phases",
            "preflight,runner-start,wait-control-plane",
            "--apiserver-advertise-address",
            "127.0.0.1",
            "--node-name",
            "n1");

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err())
        .contains(
            "refusing " + kubernetes + ": " + underTmp + " on the way to it is owned by nobody");
    assertThat(underTmp).isEmptyDirectory();
  }

  @Test
  void rootsInitRefusesARunnerStateDirectoryNobodyOwns() throws Exception {
    Path state = Files.createDirectories(tmp.resolve("state"));
    giveToNobody(state);

    CliRun run =
        kubeboot(
            "init",
            "--dry-run",
            "--kubernetes-dir",
            tmp.resolve("kubernetes").toString(),
            "--runner-state-dir",
            state.toString(),
            "--skip-phases",
            "preflight",
            "--apiserver-advertise-address",
            "127.0.0.1",
            "--node-name",
            "n1");

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).contains("refusing " + state + ": it is owned by nobody");
  }

  @Test
  void rootsResetRefusesAManifestDirectoryNobodyOwnsAndRemovesNothing() throws Exception {
    Path kubernetes = tmp.resolve("kubernetes");
    CliRun init =
        kubeboot(
            "init",
            "--kubernetes-dir",
            kubernetes.toString(),
            "--skip-phases",
            "preflight,runner-start,wait-control-plane",
            "--apiserver-advertise-address",
            "127.0.0.1",
            "--node-name",
            "n1");
    assertThat(init.code()).as(init.err()).isZero();
    Path manifests = kubernetes.resolve("manifests");
    giveToNobody(manifests);
    List<Path> before = files(tmp);

    CliRun reset = kubeboot("reset", "-f", "--kubernetes-dir", kubernetes.toString());

    assertThat(reset.code()).isEqualTo(1);
    assertThat(reset.err()).contains("refusing " + manifests + ": it is owned by nobody");
    assertThat(files(tmp)).isEqualTo(before);
  }

  private static List<Path> files(Path root) throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      return all.sorted().toList();
    }
  }

  static void giveToNobody(Path path) throws IOException {
    Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
        .setOwner(
            path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
  }

  static void asNobody(String... command) throws IOException, InterruptedException {
    var line =
        new ArrayList<>(
            List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"));
    line.addAll(List.of(command));
    Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(String.join(" ", line) + ": " + out).isZero();
  }
}
