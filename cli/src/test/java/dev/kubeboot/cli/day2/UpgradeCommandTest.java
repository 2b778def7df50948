package dev.kubeboot.cli.day2;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** upgrade plan, diff and apply's checks on a node init made, without a runner or ports. */
class UpgradeCommandTest {
  @TempDir Path tmp;

  private static Node.Result upgrade(Node node, String... args) {
    var all = new ArrayList<>(List.of("upgrade"));
    all.addAll(List.of(args));
    all.addAll(
        List.of(
            "--config", node.config.toString(), "--kubernetes-dir", node.kubernetesDir.toString()));
    return node.run(all.toArray(String[]::new));
  }

  /** Every file under {@code dir} with its bytes. */
  static Map<Path, byte[]> snapshot(Path dir) throws Exception {
    var files = new HashMap<Path, byte[]>();
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path f : all.filter(Files::isRegularFile).toList()) {
        files.put(f, Files.readAllBytes(f));
      }
    }
    return files;
  }

  @Test
  void planShowsTheVersionsTheTargetsTheManifestChangesAndTheCertificates() throws Exception {
    var node = Node.init(tmp.resolve("node"), "", "--kubernetes-version", "v1.33.5");
    var plan = upgrade(node, "plan");

    assertThat(plan.code()).as(plan.err()).isZero();
    String out = plan.out();
    assertThat(out)
        .contains("[upgrade/versions] Cluster version: v1.33.5\n")
        .contains("Upgrade to v1.33.6 (the newest known release in the v1.33 series):")
        .contains("Upgrade to v1.34.2 (the next minor release):")
        .contains("kubeboot upgrade apply v1.34.2");
    // The v1.34.2 table: every component changes (1.34 names its probe port), images move on.
    String v134 = out.substring(out.indexOf("Upgrade to v1.34.2"));
    assertThat(v134)
        .containsPattern("etcd +3\\.5\\.21-0 +- +3\\.6\\.5-0 +\\+\\d+ -\\d+ lines")
        .containsPattern("kube-apiserver +v1\\.33\\.5 +- +v1\\.34\\.2 +\\+\\d+ -\\d+ lines")
        .containsPattern("kube-controller-manager +v1\\.33\\.5 +- +v1\\.34\\.2")
        .containsPattern("kube-scheduler +v1\\.33\\.5 +- +v1\\.34\\.2")
        .contains("Certificates renewed by the upgrade")
        .containsPattern("etcd-server +expires ")
        .containsPattern("apiserver-etcd-client +expires ")
        .containsPattern("scheduler.conf +expires ")
        .containsPattern("admin.conf +expires ");
  }

  @Test
  void planOnANodeAtTheNewestKnownReleaseSaysItIsUpToDate() throws Exception {
    var node = Node.init(tmp.resolve("node"), "", "--kubernetes-version", "v1.34.2");
    var plan = upgrade(node, "plan");
    assertThat(plan.code()).as(plan.err()).isZero();
    assertThat(plan.out()).contains("up-to-date");
  }

  @Test
  void diffPrintsUnifiedDiffsAndWritesNothing() throws Exception {
    var node = Node.init(tmp.resolve("node"), "", "--kubernetes-version", "v1.33.6");
    var before = snapshot(node.root);
    var diff = upgrade(node, "diff", "v1.34.2");

    assertThat(diff.code()).as(diff.err()).isZero();
    assertThat(diff.out())
        .contains("--- a/kube-apiserver.yaml")
        .contains("-    image: registry.k8s.io/kube-apiserver:v1.33.6")
        .contains("+    image: registry.k8s.io/kube-apiserver:v1.34.2")
        .contains("+    image: registry.k8s.io/etcd:3.6.5-0");
    assertThat(snapshot(node.root)).containsOnlyKeys(before.keySet());
  }

  @Test
  void applyDryRunShowsThePlanAndWritesNothing() throws Exception {
    var node = Node.init(tmp.resolve("node"), "", "--kubernetes-version", "v1.33.6");
    var before = snapshot(node.root);
    var apply = upgrade(node, "apply", "v1.34.2", "--dry-run");

    assertThat(apply.code()).as(apply.err()).isZero();
    assertThat(apply.out())
        .contains("[upgrade] Upgrading this node from v1.33.6 to v1.34.2")
        .contains("[dryrun] Would back up " + node.manifests.resolve("etcd.yaml"))
        .contains("[dryrun] Would update ConfigMap kubeadm-config to kubernetesVersion v1.34.2");
    var after = snapshot(node.root);
    assertThat(after).containsOnlyKeys(before.keySet());
    before.forEach(
        (file, bytes) -> assertThat(after.get(file)).as(file.toString()).isEqualTo(bytes));
  }

  @Test
  void skippingMinorReleasesIsRefusedNamingTheRule() throws Exception {
    var node = Node.init(tmp.resolve("node"), "", "--kubernetes-version", "v1.31.14");
    var before = snapshot(node.root);
    var apply = upgrade(node, "apply", "v1.34.2", "-y");

    assertThat(apply.code()).isEqualTo(1);
    assertThat(apply.err())
        .contains("version skew policy (one minor release at a time)")
        .contains("cannot upgrade from v1.31.14 to v1.34.2; upgrade to v1.32 first");
    var after = snapshot(node.root);
    before.forEach(
        (file, bytes) -> assertThat(after.get(file)).as(file.toString()).isEqualTo(bytes));
  }

  @Test
  void aDowngradeIsRefusedWithoutForce() throws Exception {
    var node = Node.init(tmp.resolve("node"), "", "--kubernetes-version", "v1.34.2");
    var apply = upgrade(node, "apply", "v1.33.6", "-y");

    assertThat(apply.code()).isEqualTo(1);
    assertThat(apply.err())
        .contains("version skew policy (no downgrade without --force)")
        .contains("add --force");
    var forcedDryRun = upgrade(node, "apply", "v1.33.6", "--force", "--dry-run");
    assertThat(forcedDryRun.code()).as(forcedDryRun.err()).isZero();
  }

  @Test
  void aVersionOutsideTheSupportedRangeIsAUsageError() throws Exception {
    var node = Node.init(tmp.resolve("node"), "", "--kubernetes-version", "v1.34.2");
    var apply = upgrade(node, "apply", "v1.35.0", "-y");
    assertThat(apply.code()).isEqualTo(2);
    assertThat(apply.err()).contains("v1.35.0").contains("v1.31 through v1.34");
    var garbage = upgrade(node, "diff", "latest");
    assertThat(garbage.code()).isEqualTo(2);
    assertThat(garbage.err()).contains("\"latest\"");
  }

  @Test
  void applyWithoutConfirmationChangesNothing() throws Exception {
    var node = Node.init(tmp.resolve("node"), "", "--kubernetes-version", "v1.33.6");
    var before = snapshot(node.root);
    var all =
        List.of(
            "upgrade",
            "apply",
            "v1.34.2",
            "--config",
            node.config.toString(),
            "--kubernetes-dir",
            node.kubernetesDir.toString());
    var apply = node.runWithInput("n\n", all.toArray(String[]::new));
    assertThat(apply.code()).isEqualTo(1);
    assertThat(apply.out()).contains("[upgrade] Are you sure you want to proceed? [y/N]: ");
    assertThat(apply.err()).contains("upgrade aborted: not confirmed");
    var after = snapshot(node.root);
    assertThat(after).containsOnlyKeys(before.keySet());
  }

  @Test
  void aNodeWithoutManifestsIsNamed() throws Exception {
    Path empty = tmp.resolve("empty");
    Files.createDirectories(empty);
    var node = Node.init(tmp.resolve("node"), "", "--kubernetes-version", "v1.33.6");
    var plan = node.run("upgrade", "plan", "--kubernetes-dir", empty.toString());
    assertThat(plan.code()).isEqualTo(1);
    assertThat(plan.err())
        .contains("there is no kube-apiserver manifest at " + empty.resolve("manifests"));
  }

  @Test
  void aForcedDowngradeLeavesEtcdAsItIs() throws Exception {
    var node = Node.init(tmp.resolve("node"), "", "--kubernetes-version", "v1.34.2");
    var apply = upgrade(node, "apply", "v1.33.6", "--force", "--dry-run");
    assertThat(apply.code()).as(apply.err()).isZero();
    assertThat(apply.out())
        .contains(
            "[upgrade/etcd] the desired etcd version 3.5.24-0 is older than the one this node"
                + " runs, 3.6.5-0: etcd is not downgraded and keeps its manifest")
        .contains("[upgrade] etcd: unchanged")
        .doesNotContain("Would back up " + node.manifests.resolve("etcd.yaml"));
  }
}
