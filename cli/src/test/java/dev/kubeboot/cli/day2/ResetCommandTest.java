package dev.kubeboot.cli.day2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeboot.cli.config.ActionDefaultsPrinter;
import dev.kubeboot.runner.RunnerPidFile;
import dev.kubeboot.runner.RunnerSpec;
import dev.kubeboot.runner.Runners;
import dev.kubeboot.runner.StaticPodRunner;
import dev.kubeboot.runner.status.ContainerState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResetCommandTest {
  @TempDir Path tmp;

  /** Files a user keeps beside init's, in every directory reset cleans. */
  private static List<Path> unrelated(Node node) {
    return List.of(
        node.kubernetesDir.resolve("notes.txt"),
        node.kubernetesDir.resolve("my-admin.conf"),
        node.manifests.resolve("my-sidecar.yaml"),
        node.pki.resolve("custom-ca.crt"),
        node.pki.resolve("etcd/backup.key"),
        node.kubernetesDir.resolve("runner/runner.log"));
  }

  private static void plant(Node node) throws IOException {
    for (Path file : unrelated(node)) {
      Files.createDirectories(file.getParent());
      Files.writeString(file, "keep me " + file.getFileName());
    }
  }

  @Test
  void resetRemovesWhatInitWroteAndLeavesUnrelatedFilesUntouched() throws Exception {
    var node = Node.init(tmp.resolve("node"), "");
    plant(node);
    Files.createDirectories(node.etcdData.resolve("member/snap"));
    Files.writeString(node.etcdData.resolve("member/snap/db"), "etcd data");

    Node.Result result = node.onNode("reset", "--force", "--config", node.config.toString());

    assertThat(result.code()).as(result.err()).isZero();
    try (Stream<Path> all = Files.walk(node.root)) {
      assertThat(all.filter(Files::isRegularFile).sorted().toList())
          .containsExactlyInAnyOrderElementsOf(
              Stream.concat(unrelated(node).stream(), Stream.of(node.config)).toList());
    }
    for (Path file : unrelated(node)) {
      assertThat(file).hasContent("keep me " + file.getFileName());
    }
    assertThat(node.etcdData).isEmptyDirectory();
    assertThat(node.manifests).isDirectory();
  }

  @Test
  void resetRemovesTheDirectoriesInitMadeWhenTheyAreLeftEmpty() throws Exception {
    var node = Node.init(tmp.resolve("node"), "");
    Node.Result result = node.onNode("reset", "-f", "--config", node.config.toString());
    assertThat(result.code()).as(result.err()).isZero();
    assertThat(node.manifests).doesNotExist();
    assertThat(node.pki).doesNotExist();
    assertThat(node.kubernetesDir).isEmptyDirectory();
  }

  @Test
  void aDryRunListsWhatWouldGoAndRemovesNothing() throws Exception {
    var node = Node.init(tmp.resolve("node"), "");
    Files.createDirectories(node.etcdData.resolve("member"));
    List<Path> before = files(node.root);

    Node.Result result = node.onNode("reset", "--dry-run", "--config", node.config.toString());

    assertThat(result.code()).as(result.err()).isZero();
    assertThat(result.out())
        .contains("[dryrun] Would remove " + node.manifests.resolve("kube-apiserver.yaml"))
        .contains("[dryrun] Would remove " + node.kubernetesDir.resolve("super-admin.conf"))
        .contains("[dryrun] Would remove " + node.pki.resolve("etcd/ca.key"))
        .contains("[dryrun] Would remove " + node.pki.resolve("sa.pub"))
        .contains(
            "[dryrun] Would remove " + node.kubernetesDir.resolve(".kubeboot-manifests.sha256"))
        .contains("[dryrun] Would remove the contents of the etcd data directory " + node.etcdData);
    assertThat(files(node.root)).isEqualTo(before);
  }

  @Test
  void resetAsksFirstAndStopsOnAnythingButYes() throws Exception {
    var node = Node.init(tmp.resolve("node"), "");
    List<Path> before = files(node.root);

    Node.Result no =
        node.runWithInput(
            "n\n",
            "reset",
            "--kubernetes-dir",
            node.kubernetesDir.toString(),
            "--config",
            node.config.toString());
    assertThat(no.code()).isEqualTo(1);
    assertThat(no.out()).contains("[reset] Are you sure you want to proceed? [y/N]: ");
    assertThat(no.err()).contains("aborted reset operation");
    assertThat(files(node.root)).isEqualTo(before);

    Node.Result noAnswer =
        node.runWithInput(
            "",
            "reset",
            "--kubernetes-dir",
            node.kubernetesDir.toString(),
            "--config",
            node.config.toString());
    assertThat(noAnswer.code()).isEqualTo(1);

    Node.Result yes =
        node.runWithInput(
            "yes\n",
            "reset",
            "--kubernetes-dir",
            node.kubernetesDir.toString(),
            "--config",
            node.config.toString());
    assertThat(yes.code()).as(yes.err()).isZero();
    assertThat(node.kubernetesDir.resolve("admin.conf")).doesNotExist();
  }

  @Test
  void aStalePidFileIsRemovedAndNoProcessIsTouched() throws Exception {
    var node = Node.init(tmp.resolve("node"), "");
    Path pidFile = node.kubernetesDir.resolve("runner/runner.pid");
    Files.createDirectories(pidFile.getParent());
    // Our own pid: alive, but not a kubeboot runner.
    Files.writeString(pidFile, ProcessHandle.current().pid() + "\n");

    Node.Result result = node.onNode("reset", "-f", "--config", node.config.toString());

    assertThat(result.code()).as(result.err()).isZero();
    assertThat(result.out()).contains("Removing the stale pid file " + pidFile);
    assertThat(pidFile).doesNotExist();
  }

  @Test
  void aRunnerStartedByInitIsStopped() throws Exception {
    var node = Node.init(tmp.resolve("node"), "");
    Process fake = FakeRunner.start(false);
    try {
      Path pidFile = node.kubernetesDir.resolve("runner/runner.pid");
      Files.createDirectories(pidFile.getParent());
      RunnerPidFile.of(fake.toHandle()).write(pidFile.getParent());

      Node.Result result = node.onNode("reset", "-f", "--config", node.config.toString());

      assertThat(result.code()).as(result.err()).isZero();
      assertThat(result.out())
          .contains(
              "Stopping the static-pod runner (pid " + fake.pid() + ")", "The runner stopped");
      assertThat(fake.isAlive()).isFalse();
      assertThat(pidFile).doesNotExist();
    } finally {
      FakeRunner.kill(fake);
    }
  }

  @Test
  void aDataDirThatHoldsTheKubernetesFilesIsRefused() throws Exception {
    var node = Node.init(tmp.resolve("node"), "");
    Path bad = tmp.resolve("bad.yaml");
    Files.writeString(
        bad, node.configText("").replace("dataDir: " + node.etcdData, "dataDir: " + node.root));
    Files.delete(node.manifests.resolve("etcd.yaml"));

    Node.Result result = node.onNode("reset", "-f", "--config", bad.toString());

    assertThat(result.code()).isEqualTo(1);
    assertThat(result.err())
        .contains(
            "refusing to empty the etcd data directory "
                + node.root
                + " (from the configuration's etcd.local.dataDir): it holds "
                + node.kubernetesDir);
    assertThat(node.pki.resolve("ca.key")).exists();
  }

  private static String sleeper(String name, String extra) {
    return """
        apiVersion: v1
        kind: Pod
        metadata: {name: %s, namespace: kube-system}
        spec:
          hostNetwork: true
          terminationGracePeriodSeconds: 2
          containers:
          - name: %s
            image: example.com/sleeper:1
        %s
        """
        .formatted(name, name, extra.indent(4));
  }

  @Test
  void resetWaitsOnlyForThePodsOfTheManifestsItRemoved() throws Exception {
    var node = Node.init(tmp.resolve("node"), "");
    for (String c : List.of("kube-apiserver", "kube-controller-manager", "kube-scheduler")) {
      Files.writeString(
          node.manifests.resolve(c + ".yaml"), sleeper(c, "command: [sleep, \"3600\"]"));
    }
    // etcd's stand-in names its data dir as etcd's manifest does, without running etcd.
    Files.writeString(
        node.manifests.resolve("etcd.yaml"),
        sleeper(
                "etcd",
                "command: [sh, -c, 'exec sleep 3600', --data-dir=%s]\nvolumeMounts:\n- {name: etcd-data, mountPath: %s}"
                    .formatted(node.etcdData, node.etcdData))
            + "  volumes:\n  - name: etcd-data\n    hostPath: {path: %s, type: DirectoryOrCreate}\n"
                .formatted(node.etcdData));
    // A pod the user added: reset leaves it, and must not wait for it.
    Files.writeString(
        node.manifests.resolve("my-sidecar.yaml"),
        sleeper("my-sidecar", "command: [sleep, \"3600\"]"));
    StaticPodRunner runner =
        Runners.start(
            RunnerSpec.builder(
                    node.manifests, "n1", "127.0.0.1", node.kubernetesDir.resolve("runner"))
                .statusPort(0)
                .runtime("process")
                .build());
    try {
      awaitRunning(runner, 5);

      long start = System.nanoTime();
      Node.Result result =
          node.onNode(
              "reset",
              "-f",
              "--config",
              node.config.toString(),
              "--status-port",
              String.valueOf(runner.statusAddress().getPort()));
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(result.code()).as(result.err()).isZero();
      assertThat(result.out())
          .contains("[reset] Waiting up to 1m0s for the runner")
          .contains("[reset] The static Pods are stopped (after ")
          .doesNotContain("PT");
      assertThat(result.err()).doesNotContain("still runs");
      assertThat(took).as("reset returns once init's pods stop").isLessThan(Duration.ofSeconds(50));
      assertThat(runner.status().pods())
          .singleElement()
          .satisfies(p -> assertThat(p.key().name()).isEqualTo("my-sidecar-n1"));
      assertThat(node.manifests.resolve("my-sidecar.yaml")).exists();
    } finally {
      runner.shutdown(true);
    }
  }

  private static void awaitRunning(StaticPodRunner runner, int pods) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (runner.status().pods().stream()
            .filter(
                p ->
                    p.containerStatuses().stream()
                        .allMatch(c -> c.state() instanceof ContainerState.Running))
            .count()
        < pods) {
      assertThat(System.nanoTime())
          .as("%s pods running: %s", pods, runner.status())
          .isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  @Test
  void initRecordsTheDataDirectoryItsEtcdManifestGivesEtcd() throws Exception {
    var node = Node.init(tmp.resolve("node"), "");
    assertThat(node.kubernetesDir.resolve(".kubeboot-etcd-data-dir"))
        .hasContent(node.etcdData.toString());
  }

  @Test
  void aCommentNamingUsrLibInTheEtcdManifestDoesNotMatter() throws Exception {
    var node = Node.init(tmp.resolve("node"), "");
    Path etcd = node.manifests.resolve("etcd.yaml");
    // The first --data-dir= in the text is in a comment: a text search took /usr/lib.
    Files.writeString(
        etcd,
        "# moved from --data-dir=/usr/lib\n"
            + Files.readString(etcd)
                .replace("  volumes:\n", "  volumes:\n  # --data-dir=/usr/lib\n"));
    Files.createDirectories(node.etcdData.resolve("member"));

    Node.Result result = node.onNode("reset", "-f", "--config", node.config.toString());

    assertThat(result.code()).as(result.err()).isZero();
    assertThat(result.out())
        .contains("Deleting contents of the etcd data directory " + node.etcdData)
        .doesNotContain("/usr/lib");
    assertThat(node.etcdData).isEmptyDirectory();
  }

  @Test
  void aHandEditedDataDirPointingToUsrIsRefusedWithTheReasonAndNothingIsReset() throws Exception {
    var node = Node.init(tmp.resolve("node"), "");
    Path etcd = node.manifests.resolve("etcd.yaml");
    Files.writeString(
        etcd, Files.readString(etcd).replace("path: " + node.etcdData + "\n", "path: /usr\n"));
    List<Path> before = files(node.root);

    for (String[] reset :
        List.of(
            new String[] {"reset", "-f"},
            new String[] {"reset", "-f", "--clean-unrecorded-etcd-data-dir"},
            new String[] {"reset", "--dry-run"})) {
      Node.Result result = node.onNode(reset);

      assertThat(result.code()).as(String.join(" ", reset)).isEqualTo(1);
      assertThat(result.err())
          .contains(
              "refusing to empty the etcd data directory /usr (from the etcd-data volume of "
                  + etcd
                  + "): it is a system directory. Nothing was reset.");
      assertThat(files(node.root)).isEqualTo(before);
    }
  }

  @Test
  void aDirectoryInitNeverRecordedIsRefusedUnlessForced() throws Exception {
    var node = Node.init(tmp.resolve("node"), "");
    Path other = Files.createDirectories(tmp.resolve("other-etcd"));
    Files.writeString(other.resolve("db"), "someone's data");
    Path etcd = node.manifests.resolve("etcd.yaml");
    Files.writeString(
        etcd,
        Files.readString(etcd).replace("path: " + node.etcdData + "\n", "path: " + other + "\n"));
    List<Path> before = files(tmp);

    Node.Result refused = node.onNode("reset", "-f");

    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err())
        .contains(
            "refusing to empty the etcd data directory "
                + other
                + " (from the etcd-data volume of "
                + etcd
                + "): init did not set it up (it recorded "
                + node.etcdData
                + " in "
                + node.kubernetesDir.resolve(".kubeboot-etcd-data-dir")
                + ")")
        .contains("run reset again with --clean-unrecorded-etcd-data-dir");
    assertThat(files(tmp)).isEqualTo(before);

    Node.Result forced = node.onNode("reset", "-f", "--clean-unrecorded-etcd-data-dir");

    assertThat(forced.code()).as(forced.err()).isZero();
    assertThat(other).isEmptyDirectory();
    assertThat(node.kubernetesDir.resolve("admin.conf")).doesNotExist();
  }

  @Test
  void aLinkInTheEtcdDataDirectoryIsRemovedAndWhereItLeadsIsUntouched() throws Exception {
    var node = Node.init(tmp.resolve("node"), "");
    Path elsewhere = Files.createDirectories(tmp.resolve("etc"));
    Path precious = Files.writeString(elsewhere.resolve("passwd"), "root:x:0:0");
    Files.createDirectories(node.etcdData.resolve("member/snap"));
    Files.writeString(node.etcdData.resolve("member/snap/db"), "etcd data");
    Files.createSymbolicLink(node.etcdData.resolve("member/wal"), elsewhere);
    Files.createSymbolicLink(node.etcdData.resolve("passwd"), precious);

    Node.Result result = node.onNode("reset", "-f");

    assertThat(result.code()).as(result.err()).isZero();
    assertThat(node.etcdData).isEmptyDirectory();
    assertThat(precious).hasContent("root:x:0:0");
  }

  @Test
  void aNodeThatRunsNoEtcdResetsWithoutAConfigAndWithoutTheFlag() throws Exception {
    // As a control plane that joined a cluster on an external etcd: no etcd manifest, no record,
    // and the default etcd.local.dataDir (the kubernetes dir's etcd-data) does not exist.
    var node = Node.init(tmp.resolve("node"), "");
    Files.delete(node.manifests.resolve("etcd.yaml"));
    Files.delete(node.kubernetesDir.resolve(".kubeboot-etcd-data-dir"));
    assertThat(node.kubernetesDir.resolve("etcd-data")).doesNotExist();

    Node.Result result = node.onNode("reset", "-f");

    assertThat(result.code()).as(result.err()).isZero();
    assertThat(result.out()).contains("assuming external etcd");
    assertThat(node.kubernetesDir.resolve("admin.conf")).doesNotExist();
    assertThat(node.manifests.resolve("kube-apiserver.yaml")).doesNotExist();
  }

  @Test
  void aNodeWithoutTheRecordIsRefusedUnlessForced() throws Exception {
    var node = Node.init(tmp.resolve("node"), "");
    Files.createDirectories(node.etcdData.resolve("member"));
    Path record = node.kubernetesDir.resolve(".kubeboot-etcd-data-dir");
    Files.delete(record);

    Node.Result refused = node.onNode("reset", "-f");

    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err())
        .contains("init did not set it up (there is no record of it: " + record + " is missing)");
    assertThat(node.etcdData.resolve("member")).isDirectory();

    Node.Result forced = node.onNode("reset", "-f", "--clean-unrecorded-etcd-data-dir");
    assertThat(forced.code()).as(forced.err()).isZero();
    assertThat(node.etcdData).isEmptyDirectory();
  }

  /**
   * A join killed after its etcd member add but before its etcd manifest (and so its record) finds
   * the data directory an earlier reset emptied: nothing to empty, nothing to refuse. A link in its
   * place is still refused.
   */
  @Test
  void anEmptyUnrecordedDataDirectoryIsNoReasonToRefuse() throws Exception {
    var node = Node.init(tmp.resolve("node"), "");
    Files.createDirectories(node.etcdData);
    Files.delete(node.kubernetesDir.resolve(".kubeboot-etcd-data-dir"));
    Files.delete(node.manifests.resolve("etcd.yaml"));

    Node.Result reset = node.onNode("reset", "-f", "--config", node.config.toString());

    assertThat(reset.code()).as(reset.out() + reset.err()).isZero();
    assertThat(reset.out()).doesNotContain("Deleting contents of the etcd data directory");
    assertThat(node.etcdData).isEmptyDirectory();
    assertThat(node.kubernetesDir.resolve("admin.conf")).doesNotExist();

    var linked = Node.init(tmp.resolve("linked"), "");
    Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
    Files.deleteIfExists(linked.etcdData);
    Files.createSymbolicLink(linked.etcdData, elsewhere);
    Files.delete(linked.kubernetesDir.resolve(".kubeboot-etcd-data-dir"));
    Files.delete(linked.manifests.resolve("etcd.yaml"));

    Node.Result refused = linked.onNode("reset", "-f", "--config", linked.config.toString());

    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err()).contains("init did not set it up");
    assertThat(linked.kubernetesDir.resolve("admin.conf")).exists();
  }

  private static List<Path> files(Path root) throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      return all.sorted().toList();
    }
  }

  private static String resetConfiguration(String fields) {
    return "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ResetConfiguration\n" + fields;
  }

  @Test
  void aResetConfigurationAloneSaysWhereTheCertificatesAreAndThatNobodyIsAsked() throws Exception {
    Path certs = tmp.resolve("node/certs");
    var node = Node.init(tmp.resolve("node"), "certificatesDir: " + certs);
    assertThat(certs.resolve("ca.key")).exists();
    Files.createDirectories(node.etcdData.resolve("member"));
    Files.writeString(node.etcdData.resolve("member/db"), "etcd data");
    Path reset = tmp.resolve("reset.yaml");
    Files.writeString(reset, resetConfiguration("force: true\ncertificatesDir: " + certs + "\n"));

    Node.Result result =
        node.runWithInput(
            "",
            "reset",
            "--config",
            reset.toString(),
            "--kubernetes-dir",
            node.kubernetesDir.toString());

    assertThat(result.code()).as(result.err()).isZero();
    assertThat(result.out()).doesNotContain("Are you sure");
    assertThat(certs.resolve("ca.key")).doesNotExist();
    assertThat(certs.resolve("etcd/ca.key")).doesNotExist();
    assertThat(node.kubernetesDir.resolve("admin.conf")).doesNotExist();
    assertThat(node.etcdData).isEmptyDirectory();
  }

  @Test
  void kubeadmsResetDefaultsAreAcceptedAndTheUnusedFieldNamed() throws Exception {
    var node = Node.init(tmp.resolve("node"), "");
    Path reset = tmp.resolve("reset.yaml");
    // kubeadm's own `config print reset-defaults`, certificate directory moved to the test node's
    Files.writeString(
        reset,
        ActionDefaultsPrinter.resetDefaults().replace("/etc/kubernetes/pki", node.pki.toString()));

    Node.Result result =
        node.runWithInput(
            "y\n",
            "reset",
            "--config",
            reset.toString(),
            "--kubernetes-dir",
            node.kubernetesDir.toString());

    assertThat(result.code()).as(result.err()).isZero();
    assertThat(result.out()).contains("Are you sure you want to proceed?");
    assertThat(result.err())
        .contains(
            "these fields are accepted for kubeadm compatibility but not used by kubeboot:"
                + " ResetConfiguration.criSocket");
    assertThat(node.pki.resolve("ca.key")).doesNotExist();
  }

  @Test
  void besideInitsConfigurationAResetConfigurationCanSkipTheCleanup() throws Exception {
    var node = Node.init(tmp.resolve("node"), "");
    Path both = tmp.resolve("both.yaml");
    Files.writeString(
        both,
        node.configText("")
            + "---\n"
            + resetConfiguration("skipPhases: [preflight, remove-etcd-member, cleanup-node]\n"));
    List<Path> before = files(node.root);

    Node.Result result =
        node.runWithInput(
            "",
            "reset",
            "--config",
            both.toString(),
            "--kubernetes-dir",
            node.kubernetesDir.toString());

    assertThat(result.code()).as(result.err()).isZero();
    assertThat(result.out())
        .doesNotContain("Are you sure")
        .contains("Skipping phase cleanup-node")
        .contains("etcd member: phase remove-etcd-member skipped")
        .contains("phase cleanup-node was skipped");
    assertThat(result.err()).doesNotContain("ResetConfiguration");
    assertThat(files(node.root)).isEqualTo(before);
  }

  @Test
  void aPhaseResetDoesNotHaveIsAUsageErrorNamingItAndNothingIsTouched() throws Exception {
    var node = Node.init(tmp.resolve("node"), "");
    List<Path> before = files(node.root);

    Node.Result flag = node.onNode("reset", "-f", "--skip-phases", "preflight,cleanup");
    assertThat(flag.code()).isEqualTo(2);
    assertThat(flag.err())
        .contains(
            "--skip-phases: \"cleanup\" is not a phase of reset; the phases are preflight,"
                + " remove-etcd-member, cleanup-node");

    Path reset = tmp.resolve("reset.yaml");
    Files.writeString(reset, resetConfiguration("force: true\nskipPhases: [kubelet-finalize]\n"));
    Node.Result file = node.onNode("reset", "--config", reset.toString());
    assertThat(file.code()).isEqualTo(2);
    assertThat(file.err())
        .contains(
            reset
                + ": ResetConfiguration.skipPhases: \"kubelet-finalize\" is not a phase of"
                + " reset");
    assertThat(files(node.root)).isEqualTo(before);
  }

  @Test
  void cleanupTmpDirEmptiesUpgradesBackupsAndADryRunFromTheFileOnlySaysSo() throws Exception {
    var node = Node.init(tmp.resolve("node"), "");
    Path backup = node.kubernetesDir.resolve("tmp/kubeadm-backup-manifests-2026/etcd.yaml");
    Files.createDirectories(backup.getParent());
    Files.writeString(backup, "old manifest");
    Path reset = tmp.resolve("reset.yaml");
    Files.writeString(reset, resetConfiguration("cleanupTmpDir: true\ndryRun: true\n"));

    Node.Result dry = node.onNode("reset", "--config", reset.toString());
    assertThat(dry.code()).as(dry.err()).isZero();
    assertThat(dry.out())
        .contains("[dryrun] Would remove the contents of " + node.kubernetesDir.resolve("tmp"));
    assertThat(backup).exists();

    Node.Result result = node.onNode("reset", "-f", "--cleanup-tmp-dir");
    assertThat(result.code()).as(result.err()).isZero();
    assertThat(node.kubernetesDir.resolve("tmp")).isEmptyDirectory();
  }

  @Test
  void aLinkPlantedAsTheTmpDirectoryIsNotFollowed() throws Exception {
    var node = Node.init(tmp.resolve("node"), "");
    Path elsewhere = tmp.resolve("elsewhere");
    Files.createDirectories(elsewhere);
    Files.writeString(elsewhere.resolve("precious"), "keep me");
    Files.createSymbolicLink(node.kubernetesDir.resolve("tmp"), elsewhere);

    Node.Result result = node.onNode("reset", "-f", "--cleanup-tmp-dir");

    assertThat(result.code()).as(result.err()).isZero();
    assertThat(result.err())
        .contains(node.kubernetesDir.resolve("tmp") + " is a symbolic link: not emptied");
    assertThat(elsewhere.resolve("precious")).hasContent("keep me");
  }

  @Test
  void aTmpDirectoryAnotherUserControlsIsRefusedBeforeAnythingIsRemoved() throws Exception {
    var node = Node.init(tmp.resolve("node"), "");
    Path tmpDir = node.kubernetesDir.resolve("tmp");
    Files.createDirectories(tmpDir.resolve("kubeadm-backup-etcd-2026"));
    // nobody owns it: they could have swapped its entries for links into the system
    Files.setAttribute(tmpDir, "unix:uid", 65534);
    List<Path> before = files(node.root);

    Node.Result result = node.onNode("reset", "-f", "--cleanup-tmp-dir");

    assertThat(result.code()).isEqualTo(1);
    assertThat(result.err()).contains(tmpDir.toString()).contains("65534");
    assertThat(files(node.root)).isEqualTo(before);
  }
}
