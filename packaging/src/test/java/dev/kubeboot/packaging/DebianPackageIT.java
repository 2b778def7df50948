package dev.kubeboot.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Debian package: lintian's verdict, its layout, and its life in a fresh Debian root with no
 * JDK: install, run, remove, purge. Needs root (chroot) and {@code scripts/packaging-test-env.sh}'s
 * tools and cached root, which it runs itself (once it is done, in seconds).
 */
class DebianPackageIT {
  private static final Duration COMMAND = Duration.ofMinutes(5);
  private static final Path WORK = Path.of("target/debian-roots").toAbsolutePath();
  private static final Map<String, String> ROOT_ENV =
      Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin", "LANG", "C.UTF-8");
  private static final Map<String, String> OPERATOR_ENV =
      Map.of("PATH", "/usr/bin:/bin", "LANG", "C.UTF-8");
  private static final String UNIT = "/lib/systemd/system/kubeboot-runner.service";

  @BeforeAll
  static void environment() throws Exception {
    assumeTrue(Dist.root(), "installing a package into a root needs root (CI runs as root)");
    Dist.run(
            Duration.ofMinutes(25),
            Dist.hostEnv(),
            Dist.REPO,
            "bash",
            "scripts/packaging-test-env.sh")
        .assertOk("scripts/packaging-test-env.sh");
    assertThat(Dist.DEB).as("the package the package phase made").isRegularFile();
  }

  @Test
  void lintianReportsNoErrors() throws Exception {
    var result =
        Dist.run(
            Duration.ofMinutes(10),
            Dist.hostEnv(),
            null,
            "lintian",
            "--allow-root",
            "--tag-display-limit",
            "0",
            Dist.DEB.toString());
    List<String> errors = result.out().lines().filter(line -> line.startsWith("E:")).toList();
    assertThat(errors).as("lintian:\n" + result.out()).isEmpty();
    assertThat(result.code()).as("lintian:\n" + result.out()).isZero();
  }

  @Test
  void theControlFieldsFollowDebiansRules() throws Exception {
    String fields =
        Dist.run(COMMAND, Dist.hostEnv(), null, "dpkg-deb", "--field", Dist.DEB.toString())
            .assertOk("dpkg-deb --field")
            .out();
    // 0.1.0~SNAPSHOT sorts before 0.1.0, as a snapshot should; 0.1.0-SNAPSHOT would sort after.
    assertThat(fields)
        .contains("Package: kubeboot\n", "Version: " + Dist.VERSION.replace('-', '~') + "\n")
        .containsPattern("Architecture: (amd64|arm64)\n")
        .contains("Depends: libc6\n");
    assertThat(Dist.DEB.getFileName().toString())
        .isEqualTo(
            "kubeboot_"
                + Dist.VERSION.replace('-', '~')
                + "_"
                + fields.replaceAll("(?s).*Architecture: (\\S+).*", "$1")
                + ".deb");
  }

  @Test
  void installedIntoAFreshDebianRootItRunsAndRemoveAndPurgeLeaveOnlyTheOperatorsFiles()
      throws Exception {
    try (var root = DebianRoot.unpack(WORK)) {
      assertThat(root.resolve("/usr/lib/jvm")).doesNotExist();
      assertThat(root.chroot(COMMAND, ROOT_ENV, "sh", "-c", "command -v java").code())
          .as("no java in the fresh root")
          .isNotZero();
      TreeSet<String> before = root.files();
      Files.copy(Dist.DEB, root.resolve("/tmp/kubeboot.deb"));

      root.chroot(COMMAND, ROOT_ENV, "dpkg", "-i", "/tmp/kubeboot.deb").assertOk("dpkg -i");
      var version = root.chroot(COMMAND, OPERATOR_ENV, "kubeboot", "--version");
      assertThat(version.code()).as(version.out()).isZero();
      assertThat(version.out()).startsWith("kubeboot version v" + Dist.VERSION + " ");
      var init =
          root.chroot(
              COMMAND,
              OPERATOR_ENV,
              "kubeboot",
              "init",
              "--kubernetes-dir",
              "/tmp/kubernetes",
              "--skip-phases",
              "runner-start,wait-control-plane",
              "--ignore-preflight-errors=all",
              "--apiserver-advertise-address",
              "127.0.0.1",
              "--node-name",
              "deb-test");
      assertThat(init.code()).as(init.out()).isZero();
      assertThat(root.resolve("/tmp/kubernetes/manifests/kube-apiserver.yaml")).isRegularFile();
      assertThat(root.resolve("/usr/bin/kubeboot")).isSymbolicLink();
      assertThat(root.resolve("/usr/share/man/man1/kubeboot-init.1.gz")).isRegularFile();
      assertThat(root.resolve("/usr/share/bash-completion/completions/kubeboot")).isRegularFile();
      assertThat(root.resolve("/usr/share/zsh/vendor-completions/_kubeboot")).isRegularFile();
      // The unit is installed, not enabled: nothing in any .wants directory names it.
      assertThat(root.resolve(UNIT)).isRegularFile();
      assertThat(root.files()).noneMatch(p -> p.contains(".wants/kubeboot"));

      // What an operator (and `kubeboot init`) creates outlives the package.
      Files.createDirectories(root.resolve("/var/lib/kubeboot"));
      Files.writeString(
          root.resolve("/var/lib/kubeboot/kubeboot-flags.env"),
          "KUBEBOOT_RUNNER_ARGS=\"--node-name deb-test\"\n");
      Files.writeString(root.resolve("/etc/default/kubeboot"), "KUBEBOOT_EXTRA_ARGS=\"\"\n");
      List<String> operators =
          List.of(
              "/etc/default/kubeboot", "/var/lib/kubeboot", "/var/lib/kubeboot/kubeboot-flags.env");

      root.chroot(COMMAND, ROOT_ENV, "dpkg", "--remove", "kubeboot").assertOk("dpkg --remove");
      TreeSet<String> removed = root.files();
      assertThat(removed).noneMatch(p -> p.startsWith("/usr/lib/kubeboot"));
      assertThat(root.resolve("/usr/bin/kubeboot")).doesNotExist();
      assertThat(root.resolve(UNIT)).doesNotExist();
      assertThat(removed).containsAll(operators);

      root.chroot(COMMAND, ROOT_ENV, "dpkg", "--purge", "kubeboot").assertOk("dpkg --purge");
      TreeSet<String> purged = root.files();
      purged.removeAll(operators);
      assertThat(purged).as("the root after purge, but the operator's files").isEqualTo(before);
      var status = root.chroot(COMMAND, ROOT_ENV, "dpkg", "-s", "kubeboot");
      assertThat(status.code()).as(status.out()).isNotZero();
    }
  }

  @Test
  void theInstalledUnitPassesSystemdAnalyzeVerify() throws Exception {
    try (var root = DebianRoot.unpack(WORK)) {
      Files.copy(Dist.DEB, root.resolve("/tmp/kubeboot.deb"));
      root.chroot(COMMAND, ROOT_ENV, "dpkg", "-i", "/tmp/kubeboot.deb").assertOk("dpkg -i");
      // The minimal root has no systemd: systemd's own units (the targets the unit orders
      // itself after) come from the host, the unit, its ExecStart and man page from the package.
      Dist.run(
              COMMAND,
              Dist.hostEnv(),
              null,
              "cp",
              "-an",
              "/lib/systemd/system/.",
              root.resolve("/lib/systemd/system").toString())
          .assertOk("copying systemd's units");
      var env = new java.util.HashMap<>(Dist.hostEnv());
      env.put("MANPATH", root.resolve("/usr/share/man").toString());
      var verify =
          Dist.run(
              COMMAND,
              env,
              null,
              "systemd-analyze",
              "--root=" + root.path(),
              "verify",
              "kubeboot-runner.service");
      // verify exits 0 on mere warnings (an unknown value is "ignored"): a clean unit prints none.
      assertThat(verify.code()).as(verify.out()).isZero();
      assertThat(verify.out()).isEmpty();
    }
  }
}
