package dev.kubeboot.cli.day2;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * upgrade apply, plan, diff and node with kubeadm's UpgradeConfiguration in --config, beside the
 * configuration init used (so the cluster is not asked), on a v1.33.6 node without a runner.
 */
class UpgradeConfigurationTest {
  @TempDir Path tmp;

  /** The node's init configuration followed by {@code upgrade}'s UpgradeConfiguration. */
  private Path config(Node node, String upgrade) throws Exception {
    Path file = tmp.resolve("upgrade-" + System.nanoTime() + ".yaml");
    Files.writeString(
        file,
        node.configText("")
            + "---\napiVersion: kubeadm.k8s.io/v1beta4\nkind: UpgradeConfiguration\n"
            + upgrade);
    return file;
  }

  private static Node.Result upgrade(Node node, Path config, String... args) {
    var all = new ArrayList<>(List.of("upgrade"));
    all.addAll(List.of(args));
    all.addAll(
        List.of("--config", config.toString(), "--kubernetes-dir", node.kubernetesDir.toString()));
    return node.run(all.toArray(String[]::new));
  }

  private Node node() throws Exception {
    return Node.init(tmp.resolve("node"), "", "--kubernetes-version", "v1.33.6");
  }

  private static Map<Path, byte[]> snapshot(Path dir) throws Exception {
    return UpgradeCommandTest.snapshot(dir);
  }

  @Test
  void applyTakesTheVersionFromTheFileWhenNoArgumentGivesOne() throws Exception {
    Node node = node();
    Path config = config(node, "apply:\n  kubernetesVersion: v1.34.2\n");

    var apply = upgrade(node, config, "apply", "--dry-run");

    assertThat(apply.code()).as(apply.err()).isZero();
    assertThat(apply.out()).contains("[upgrade] Upgrading this node from v1.33.6 to v1.34.2");
    // Init's warning that it ignores the UpgradeConfiguration does not apply to upgrade.
    assertThat(apply.err()).doesNotContain("UpgradeConfiguration");
  }

  @Test
  void theVersionArgumentWinsOverTheFileAsInKubeadm() throws Exception {
    Node node = node();
    Path config = config(node, "apply:\n  kubernetesVersion: v1.34.2\n");

    var apply = upgrade(node, config, "apply", "v1.34.1", "--dry-run");

    assertThat(apply.code()).as(apply.err()).isZero();
    assertThat(apply.out()).contains("[upgrade] Upgrading this node from v1.33.6 to v1.34.1");
  }

  @Test
  void withoutAVersionInTheArgumentOrTheFileApplyAndDiffAreUsageErrors() throws Exception {
    Node node = node();
    Path config = config(node, "plan:\n  kubernetesVersion: v1.34.2\n");
    var before = snapshot(node.root);

    var apply = upgrade(node, config, "apply", "--dry-run");
    var diff = upgrade(node, config, "diff");

    assertThat(apply.code()).isEqualTo(2);
    assertThat(apply.err())
        .contains(
            "upgrade: give the version to upgrade to, as the VERSION argument (e.g. v1.34.2) or as"
                + " apply.kubernetesVersion in the UpgradeConfiguration of --config");
    assertThat(diff.code()).isEqualTo(2);
    assertThat(diff.err()).contains("diff.kubernetesVersion");
    assertThat(snapshot(node.root)).containsOnlyKeys(before.keySet());
  }

  @Test
  void aVersionOfTheFileKubebootCannotRenderIsAUsageErrorNamingTheField() throws Exception {
    Node node = node();
    Path config = config(node, "apply:\n  kubernetesVersion: v1.35.0\n");

    var apply = upgrade(node, config, "apply", "--dry-run");

    assertThat(apply.code()).isEqualTo(2);
    assertThat(apply.err())
        .contains("apply.kubernetesVersion of --config: upgrade: ")
        .contains("v1.35.0")
        .contains("v1.31 through v1.34");
  }

  @Test
  void aFlagGivenWinsOverTheFile() throws Exception {
    Node node = node();
    Path config = config(node, "apply:\n  kubernetesVersion: v1.34.2\n  etcdUpgrade: false\n");
    String etcdBackup = "Would back up " + node.manifests.resolve("etcd.yaml");

    var fromFile = upgrade(node, config, "apply", "--dry-run");
    var flag = upgrade(node, config, "apply", "--dry-run", "--etcd-upgrade");
    var flagFalse =
        upgrade(
            node,
            config(node, "apply:\n  kubernetesVersion: v1.34.2\n  etcdUpgrade: true\n"),
            "apply",
            "--dry-run",
            "--etcd-upgrade=false");

    assertThat(fromFile.code()).as(fromFile.err()).isZero();
    assertThat(fromFile.out())
        .doesNotContain(etcdBackup)
        .contains("Would back up " + node.manifests.resolve("kube-apiserver.yaml"));
    assertThat(flag.code()).as(flag.err()).isZero();
    assertThat(flag.out()).contains(etcdBackup);
    assertThat(flagFalse.code()).as(flagFalse.err()).isZero();
    assertThat(flagFalse.out()).doesNotContain(etcdBackup);
  }

  @Test
  void dryRunInTheFileWritesNothingWithoutTheFlag() throws Exception {
    Node node = node();
    Path config = config(node, "apply:\n  kubernetesVersion: v1.34.2\n  dryRun: true\n");
    var before = snapshot(node.root);

    var apply = upgrade(node, config, "apply");

    assertThat(apply.code()).as(apply.err()).isZero();
    assertThat(apply.out())
        .contains("[dryrun] Would update ConfigMap kubeadm-config to kubernetesVersion v1.34.2")
        .doesNotContain("Are you sure");
    var after = snapshot(node.root);
    assertThat(after).containsOnlyKeys(before.keySet());
    before.forEach((f, bytes) -> assertThat(after.get(f)).as(f.toString()).isEqualTo(bytes));
  }

  @Test
  void forceUpgradeInTheFileAllowsTheDowngradeForceAllows() throws Exception {
    Node node = node();
    Path plain = config(node, "apply:\n  kubernetesVersion: v1.32.10\n");
    Path forced = config(node, "apply:\n  kubernetesVersion: v1.32.10\n  forceUpgrade: true\n");

    var refused = upgrade(node, plain, "apply", "--dry-run");
    var allowed = upgrade(node, forced, "apply", "--dry-run");

    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err()).contains("no downgrade without --force");
    assertThat(allowed.code()).as(allowed.err()).isZero();
    assertThat(allowed.out()).contains("Upgrading this node from v1.33.6 to v1.32.10");
  }

  @Test
  void timeoutsUpgradeManifestsIsTheWaitForEachComponent() throws Exception {
    Node node = node();
    Path config =
        config(node, "apply:\n  kubernetesVersion: v1.34.2\ntimeouts:\n  upgradeManifests: 90s\n");

    var apply = upgrade(node, config, "apply", "--dry-run");
    var flag = upgrade(node, config, "apply", "--dry-run", "--timeout", "2m");

    assertThat(apply.code()).as(apply.err()).isZero();
    assertThat(apply.out()).contains("then wait up to 1m30s for it");
    assertThat(flag.out()).contains("then wait up to 2m0s for it").doesNotContain("1m30s");
  }

  @Test
  void printConfigPrintsTheClusterConfigurationTheUpgradeRendersWith() throws Exception {
    Node node = node();
    Path config = config(node, "apply:\n  kubernetesVersion: v1.34.2\n  printConfig: true\n");

    var apply = upgrade(node, config, "apply", "--dry-run");
    var plan = upgrade(node, config(node, ""), "plan", "v1.34.2", "--print-config");

    assertThat(apply.code()).as(apply.err()).isZero();
    assertThat(apply.out())
        .contains("[upgrade/config] Configuration used:\n")
        .contains("\tkind: ClusterConfiguration\n")
        .contains("\tkubernetesVersion: v1.34.2\n");
    assertThat(plan.code()).as(plan.err()).isZero();
    assertThat(plan.out()).contains("[upgrade/config] Configuration used:\n");
  }

  @Test
  void skipPhasesControlPlaneLeavesTheManifestsOutOfTheUpgradeAndTheFlagWins() throws Exception {
    Node node = node();
    Path config =
        config(
            node,
            "apply:\n  kubernetesVersion: v1.34.2\n  skipPhases:\n  - control-plane\n  - addon\n");

    var apply = upgrade(node, config, "apply", "--dry-run");
    var flag = upgrade(node, config, "apply", "--dry-run", "--skip-phases", "upload-config");
    var unknown = upgrade(node, config, "apply", "--dry-run", "--skip-phases", "etcd");

    assertThat(apply.code()).as(apply.err()).isZero();
    assertThat(apply.out())
        .doesNotContain("Would back up")
        .contains("[dryrun] Would update ConfigMap kubeadm-config to kubernetesVersion v1.34.2")
        .contains("[upgrade] Skipped phase control-plane\n")
        .contains(
            "[upgrade] Skipped phase addon (kubeboot's upgrade apply does not run it anyway)");
    assertThat(flag.code()).as(flag.err()).isZero();
    assertThat(flag.out())
        .contains("Would back up " + node.manifests.resolve("kube-apiserver.yaml"))
        .doesNotContain("Would update ConfigMap kubeadm-config")
        .contains("[upgrade] Skipped phase upload-config\n");
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err())
        .contains("--skip-phases: unknown phase \"etcd\"; the phases are preflight, control-plane");
  }

  @Test
  void imagePullPolicyOfTheSectionIsRenderedIntoTheNewManifests() throws Exception {
    Node node = node();
    Path config = config(node, "apply:\n  kubernetesVersion: v1.34.2\n  imagePullPolicy: Always\n");

    var apply = upgrade(node, config, "apply", "--dry-run");

    assertThat(apply.code()).as(apply.err()).isZero();
    assertThat(apply.out())
        .contains("-    imagePullPolicy: IfNotPresent")
        .contains("+    imagePullPolicy: Always");
  }

  @Test
  void diffTakesItsVersionAndContextLinesFromItsSectionAndTheFlagWins() throws Exception {
    Node node = node();
    Path config = config(node, "diff:\n  kubernetesVersion: v1.34.2\n  contextLines: 0\n");

    var noContext = upgrade(node, config, "diff");
    var five = upgrade(node, config, "diff", "-c", "5");

    assertThat(noContext.code()).as(noContext.err()).isZero();
    assertThat(noContext.out())
        .contains("+    image: registry.k8s.io/kube-apiserver:v1.34.2")
        .doesNotContainPattern("(?m)^ ");
    assertThat(five.code()).as(five.err()).isZero();
    assertThat(five.out()).containsPattern("(?m)^ ");
  }

  @Test
  void planTakesItsVersionAndEtcdUpgradeFromItsSection() throws Exception {
    Node node = node();
    Path config = config(node, "plan:\n  kubernetesVersion: v1.34.2\n  etcdUpgrade: false\n");

    var plan = upgrade(node, config, "plan");

    assertThat(plan.code()).as(plan.err()).isZero();
    assertThat(plan.out())
        .contains("Upgrade to v1.34.2 (the next minor release):")
        .doesNotContain("Upgrade to v1.33.")
        .doesNotContainPattern("(?m)^etcd ");
  }

  @Test
  void aBadUpgradeConfigurationIsAUsageErrorNamingFileLineAndField() throws Exception {
    Node node = node();
    Path config = config(node, "apply:\n  kubernetesVersion: v1.34.2\n  etcdUpgarde: false\n");
    var before = snapshot(node.root);

    var apply = upgrade(node, config, "apply", "--dry-run");

    assertThat(apply.code()).isEqualTo(2);
    assertThat(apply.err())
        .contains(
            config
                + ":20: UpgradeConfiguration.apply.etcdUpgarde: unknown field \"etcdUpgarde\" (did"
                + " you mean \"etcdUpgrade\"?)");
    assertThat(snapshot(node.root)).containsOnlyKeys(before.keySet());
  }
}
