package dev.kubeboot.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubeboot.cli.config.UpgradeConfigReader.Command;
import dev.kubeboot.templates.KubernetesVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** UpgradeConfiguration as kubeadm publishes it, every field, and what is refused. */
class UpgradeConfigReaderTest {
  /** Every field of every section, none at kubeadm's default. */
  private static final String EVERY_FIELD =
      """
      apiVersion: kubeadm.k8s.io/v1beta4
      kind: UpgradeConfiguration
      apply:
        kubernetesVersion: v1.34.2
        allowExperimentalUpgrades: true
        allowRCUpgrades: true
        certificateRenewal: false
        dryRun: true
        etcdUpgrade: false
        forceUpgrade: true
        ignorePreflightErrors:
        - CoreDNSMigration
        imagePullPolicy: Always
        imagePullSerial: false
        patches:
          directory: /etc/kubernetes/patches
        printConfig: true
        skipPhases:
        - addon/kube-proxy
        - upload-config/kubelet
      diff:
        kubernetesVersion: 1.34.1
        contextLines: 7
      node:
        certificateRenewal: false
        dryRun: true
        etcdUpgrade: false
        ignorePreflightErrors:
        - all
        imagePullPolicy: Never
        imagePullSerial: false
        patches:
          directory: /etc/kubernetes/node-patches
        skipPhases:
        - kubelet-config
      plan:
        kubernetesVersion: v1.33.6
        allowExperimentalUpgrades: false
        allowRCUpgrades: true
        dryRun: true
        ignorePreflightErrors:
        - Swap
        printConfig: true
        etcdUpgrade: false
      timeouts:
        controlPlaneComponentHealthCheck: 1m0s
        kubeletHealthCheck: 2m0s
        kubernetesAPICall: 30s
        etcdAPICall: 45s
        tlsBootstrap: 3m0s
        discovery: 4m0s
        upgradeManifests: 7m30s
      """;

  private static UpgradeConfigReader.Reading read(String yaml) {
    return new UpgradeConfigReader().read(yaml, "up.yaml");
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = UpgradeConfigReaderTest.class.getResourceAsStream("/config/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void everyFieldOfEverySectionIsRead() {
    var reading = read(EVERY_FIELD);
    var upgrade = reading.upgrade();

    var apply = upgrade.apply();
    assertThat(apply.kubernetesVersion()).contains(KubernetesVersion.parse("v1.34.2"));
    assertThat(apply.allowExperimentalUpgrades()).contains(true);
    assertThat(apply.allowRCUpgrades()).contains(true);
    assertThat(apply.certificateRenewal()).contains(false);
    assertThat(apply.dryRun()).contains(true);
    assertThat(apply.etcdUpgrade()).contains(false);
    assertThat(apply.forceUpgrade()).contains(true);
    assertThat(apply.ignorePreflightErrors()).containsExactly("CoreDNSMigration");
    assertThat(apply.imagePullPolicy()).contains("Always");
    assertThat(apply.imagePullSerial()).contains(false);
    assertThat(apply.patchesDirectory()).contains("/etc/kubernetes/patches");
    assertThat(apply.printConfig()).contains(true);
    assertThat(apply.skipPhases()).containsExactly("addon/kube-proxy", "upload-config/kubelet");

    assertThat(upgrade.diff().kubernetesVersion().map(KubernetesVersion::minor)).contains(34);
    assertThat(upgrade.diff().contextLines()).contains(7);

    var node = upgrade.node();
    assertThat(node.certificateRenewal()).contains(false);
    assertThat(node.dryRun()).contains(true);
    assertThat(node.etcdUpgrade()).contains(false);
    assertThat(node.ignorePreflightErrors()).containsExactly("all");
    assertThat(node.imagePullPolicy()).contains("Never");
    assertThat(node.imagePullSerial()).contains(false);
    assertThat(node.patchesDirectory()).contains("/etc/kubernetes/node-patches");
    assertThat(node.skipPhases()).containsExactly("kubelet-config");

    var plan = upgrade.plan();
    assertThat(plan.kubernetesVersion()).contains(KubernetesVersion.parse("v1.33.6"));
    assertThat(plan.allowExperimentalUpgrades()).contains(false);
    assertThat(plan.allowRCUpgrades()).contains(true);
    assertThat(plan.dryRun()).contains(true);
    assertThat(plan.ignorePreflightErrors()).containsExactly("Swap");
    assertThat(plan.printConfig()).contains(true);
    assertThat(plan.etcdUpgrade()).contains(false);

    assertThat(upgrade.timeouts())
        .isEqualTo(
            new Timeouts(
                Duration.ofMinutes(1),
                Duration.ofMinutes(2),
                Duration.ofSeconds(30),
                Duration.ofSeconds(45),
                Duration.ofMinutes(3),
                Duration.ofMinutes(4),
                Duration.ofSeconds(450)));
    assertThat(reading.initConfig()).isEmpty();
  }

  @Test
  void eachCommandIsWarnedOnlyAboutTheFieldsOfItsOwnSectionThatKubebootDoesNotUse() {
    var reading = read(EVERY_FIELD);

    assertThat(reading.warnings(Command.APPLY, "up.yaml"))
        .containsExactly(
            "up.yaml: these fields are accepted for kubeadm compatibility but not used by"
                + " kubeboot: UpgradeConfiguration.apply.allowExperimentalUpgrades,"
                + " UpgradeConfiguration.apply.allowRCUpgrades,"
                + " UpgradeConfiguration.apply.ignorePreflightErrors,"
                + " UpgradeConfiguration.apply.imagePullSerial,"
                + " UpgradeConfiguration.apply.patches");
    assertThat(reading.warnings(Command.NODE, "up.yaml"))
        .containsExactly(
            "up.yaml: these fields are accepted for kubeadm compatibility but not used by"
                + " kubeboot: UpgradeConfiguration.node.ignorePreflightErrors,"
                + " UpgradeConfiguration.node.imagePullSerial, UpgradeConfiguration.node.patches");
    assertThat(reading.warnings(Command.PLAN, "up.yaml"))
        .containsExactly(
            "up.yaml: these fields are accepted for kubeadm compatibility but not used by"
                + " kubeboot: UpgradeConfiguration.plan.allowExperimentalUpgrades,"
                + " UpgradeConfiguration.plan.allowRCUpgrades, UpgradeConfiguration.plan.dryRun,"
                + " UpgradeConfiguration.plan.ignorePreflightErrors");
    assertThat(reading.warnings(Command.DIFF, "up.yaml")).isEmpty();
  }

  @Test
  void kubeadmsUpgradeDefaultsAreReadAsKubeadmDefaultsThem() throws IOException {
    var reading = read(resource("upgrade-defaults-1.34.yaml"));
    var upgrade = reading.upgrade();

    assertThat(upgrade.apply().kubernetesVersion()).isEmpty();
    assertThat(upgrade.apply().etcdUpgrade()).contains(true);
    assertThat(upgrade.apply().certificateRenewal()).contains(true);
    assertThat(upgrade.apply().imagePullPolicy()).contains("IfNotPresent");
    assertThat(upgrade.node().etcdUpgrade()).contains(true);
    assertThat(upgrade.plan().etcdUpgrade()).contains(true);
    assertThat(upgrade.diff().contextLines()).isEmpty();
    assertThat(upgrade.timeouts().upgradeManifests()).isEqualTo(Duration.ofMinutes(5));
    assertThat(reading.initConfig()).isEmpty();
    assertThat(reading.warnings(Command.APPLY, "up.yaml"))
        .containsExactly(
            "up.yaml: these fields are accepted for kubeadm compatibility but not used by"
                + " kubeboot: UpgradeConfiguration.apply.imagePullSerial");
  }

  /**
   * The examples kubeadm's documentation publishes: the skeleton of the v1beta4 API reference
   * ("Kubeadm upgrade configuration types", its "..." left out), and the patches examples of
   * "Customizing components with the kubeadm API" for upgrade apply and upgrade node.
   */
  @Test
  void kubeadmsPublishedExamplesAreAccepted() {
    var skeleton =
        read(
            """
            apiVersion: kubeadm.k8s.io/v1beta4
            kind: UpgradeConfiguration
            apply:
            diff:
            node:
            plan:
            """);
    assertThat(skeleton.upgrade()).isEqualTo(UpgradeConfiguration.unset());
    assertThat(skeleton.warnings(Command.APPLY, "up.yaml")).isEmpty();

    var apply =
        read(
            """
            apiVersion: kubeadm.k8s.io/v1beta4
            kind: UpgradeConfiguration
            apply:
              patches:
                directory: /home/user/somedir
            """);
    assertThat(apply.upgrade().apply().patchesDirectory()).contains("/home/user/somedir");
    assertThat(apply.warnings(Command.APPLY, "up.yaml"))
        .containsExactly(
            "up.yaml: these fields are accepted for kubeadm compatibility but not used by"
                + " kubeboot: UpgradeConfiguration.apply.patches");

    var node =
        read(
            """
            apiVersion: kubeadm.k8s.io/v1beta4
            kind: UpgradeConfiguration
            node:
              patches:
                directory: /home/user/somedir
            """);
    assertThat(node.upgrade().node().patchesDirectory()).contains("/home/user/somedir");
    assertThat(node.warnings(Command.APPLY, "up.yaml")).isEmpty();
  }

  /** The example of docs/upgrade.md, as a user copies it. */
  @Test
  void theExampleOfTheUpgradeDocsIsAccepted() throws IOException {
    String doc = java.nio.file.Files.readString(java.nio.file.Path.of("..", "docs", "upgrade.md"));
    String start = "```yaml\napiVersion: kubeadm.k8s.io/v1beta4\nkind: UpgradeConfiguration\n";
    int from = doc.indexOf(start);
    assertThat(from).as("the UpgradeConfiguration example of docs/upgrade.md").isNotNegative();
    String example = doc.substring(from + "```yaml\n".length(), doc.indexOf("```", from + 7));

    var upgrade = read(example).upgrade();

    assertThat(upgrade.apply().kubernetesVersion()).contains(KubernetesVersion.parse("v1.34.2"));
    assertThat(upgrade.apply().skipPhases()).isEmpty();
    assertThat(upgrade.diff().contextLines()).contains(3);
    assertThat(upgrade.timeouts().upgradeManifests()).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void anUnknownFieldIsRefusedWithLineAndPathAndEveryProblemIsReportedAtOnce() {
    String yaml =
        """
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: UpgradeConfiguration
        apply:
          etcdUpgrad: false
          forceUpgrade: sometimes
        node:
          skipPhases:
          - upload-config
        plan:
          kubernetesVersion: latest
        diff:
          contextLines: -1
        timeouts:
          upgradeManifests: soon
        """;
    assertThatThrownBy(() -> read(yaml))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "up.yaml:4: UpgradeConfiguration.apply.etcdUpgrad: unknown field \"etcdUpgrad\" (did"
                + " you mean \"etcdUpgrade\"?)")
        .hasMessageContaining(
            "up.yaml:5: UpgradeConfiguration.apply.forceUpgrade: expected true or false, got")
        .hasMessageContaining(
            "up.yaml:8: UpgradeConfiguration.node.skipPhases[0]: unknown phase \"upload-config\";"
                + " the phases are preflight, control-plane")
        .hasMessageContaining(
            "up.yaml:10: UpgradeConfiguration.plan.kubernetesVersion: expected a Kubernetes"
                + " version such as v1.34.2, got \"latest\"")
        .hasMessageContaining(
            "up.yaml:12: UpgradeConfiguration.diff.contextLines: expected 0 or more lines, got -1")
        .hasMessageContaining("up.yaml:14: UpgradeConfiguration.timeouts.upgradeManifests:");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "a section that is not a mapping|apply: ...|"
            + "up.yaml:3: UpgradeConfiguration.apply: expected a mapping of fields, got",
        "a list where a bool belongs|node:\\n  dryRun: [true]|"
            + "up.yaml:4: UpgradeConfiguration.node.dryRun: expected true or false, got",
        "a string where a list belongs|apply:\\n  skipPhases: preflight|"
            + "up.yaml:4: UpgradeConfiguration.apply.skipPhases: expected a list of phase names",
        "a pull policy kubeadm does not know|apply:\\n  imagePullPolicy: Sometimes|"
            + "up.yaml:4: UpgradeConfiguration.apply.imagePullPolicy: expected one of Always,"
            + " IfNotPresent, Never, got \"Sometimes\"",
        "a word where the context lines belong|diff:\\n  contextLines: three|"
            + "up.yaml:4: UpgradeConfiguration.diff.contextLines: expected an integer",
        "a field of another section|plan:\\n  forceUpgrade: true|"
            + "up.yaml:4: UpgradeConfiguration.plan.forceUpgrade: unknown field \"forceUpgrade\""
      })
  void aValueOfTheWrongTypeIsRefusedNamingLineAndField(String name, String body, String message) {
    String yaml =
        "apiVersion: kubeadm.k8s.io/v1beta4\nkind: UpgradeConfiguration\n"
            + body.replace("\\n", "\n")
            + "\n";
    assertThatThrownBy(() -> read(yaml))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void upgradeConfigurationExistsOnlyInV1beta4() {
    assertThatThrownBy(
            () -> read("apiVersion: kubeadm.k8s.io/v1beta3\nkind: UpgradeConfiguration\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "up.yaml:1: unsupported apiVersion kubeadm.k8s.io/v1beta3 for UpgradeConfiguration;"
                + " it exists only in kubeadm.k8s.io/v1beta4");
  }

  @Test
  void aKindKubeadmDoesNotHaveIsRefusedAndAFileWithoutAnyUsableDocumentToo() {
    assertThatThrownBy(() -> read("apiVersion: kubeadm.k8s.io/v1beta4\nkind: UpgradeConfig\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("up.yaml:1: unknown kind UpgradeConfig in kubeadm.k8s.io/v1beta4");
    assertThatThrownBy(() -> read("apiVersion: kubeadm.k8s.io/v1beta4\nkind: ResetConfiguration\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(
            "up.yaml:1: no UpgradeConfiguration document; kubeboot upgrade --config reads one");
  }

  @Test
  void aSecondUpgradeConfigurationIsRefused() {
    String one = "apiVersion: kubeadm.k8s.io/v1beta4\nkind: UpgradeConfiguration\n";
    assertThatThrownBy(() -> read(one + "---\n" + one))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "up.yaml:4: a second UpgradeConfiguration document (the first is at line 1); give it"
                + " once");
  }

  @Test
  void otherDocumentsBesideAnUpgradeConfigurationAreIgnoredWithAWarning() {
    var reading =
        read(
            """
            apiVersion: kubeadm.k8s.io/v1beta4
            kind: UpgradeConfiguration
            ---
            apiVersion: kubeadm.k8s.io/v1beta4
            kind: ResetConfiguration
            ---
            apiVersion: kubelet.config.k8s.io/v1beta1
            kind: KubeletConfiguration
            """);
    assertThat(reading.warnings(Command.APPLY, "up.yaml"))
        .containsExactly(
            "up.yaml:4: ignored document kubeadm.k8s.io/v1beta4, Kind=ResetConfiguration: kubeboot"
                + " upgrade reads UpgradeConfiguration, InitConfiguration and"
                + " ClusterConfiguration",
            "up.yaml:7: ignored document kubelet.config.k8s.io/v1beta1, Kind=KubeletConfiguration:"
                + " kubeboot upgrade reads UpgradeConfiguration, InitConfiguration and"
                + " ClusterConfiguration");
  }

  @Test
  void anInitConfigurationBesideItIsReadAsInitReadsItWithoutInitsWarningAboutTheUpgradeDocument() {
    var reading =
        read(
            """
            apiVersion: kubeadm.k8s.io/v1beta4
            kind: ClusterConfiguration
            kubernetesVersion: v1.33.6
            ---
            apiVersion: kubeadm.k8s.io/v1beta4
            kind: UpgradeConfiguration
            apply:
              kubernetesVersion: v1.34.2
            """);
    assertThat(reading.initConfig()).isPresent();
    assertThat(reading.initConfig().get().cluster().kubernetesVersion())
        .isEqualTo(KubernetesVersion.parse("v1.33.6"));
    assertThat(reading.initConfig().get().warnings()).isEmpty();
    assertThat(reading.upgrade().apply().kubernetesVersion())
        .contains(KubernetesVersion.parse("v1.34.2"));

    // The file's problems and those of its ClusterConfiguration come together.
    assertThatThrownBy(
            () ->
                read(
                    """
                    apiVersion: kubeadm.k8s.io/v1beta4
                    kind: ClusterConfiguration
                    kubernetesVersoin: v1.33.6
                    ---
                    apiVersion: kubeadm.k8s.io/v1beta4
                    kind: UpgradeConfiguration
                    plan:
                      printConfg: true
                    """))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("up.yaml:8: UpgradeConfiguration.plan.printConfg: unknown field")
        .hasMessageContaining("up.yaml:3: ClusterConfiguration.kubernetesVersoin: unknown field");
  }

  @Test
  void theTimeoutsItSetsAndTheCommandsPullPolicyOverlayTheConfigurationRenderedWith() {
    var upgrade =
        read("""
                apiVersion: kubeadm.k8s.io/v1beta4
                kind: UpgradeConfiguration
                timeouts:
                  upgradeManifests: 90s
                """)
            .upgrade();
    KubeadmConfig applied = upgrade.appliedTo(KubeadmConfig.empty(), Optional.of("Always"));

    assertThat(applied.init().timeouts().upgradeManifests()).isEqualTo(Duration.ofSeconds(90));
    assertThat(applied.init().timeouts().etcdAPICall()).isNull();
    assertThat(applied.init().nodeRegistration().imagePullPolicy()).isEqualTo("Always");
    assertThat(upgrade.appliedTo(KubeadmConfig.empty(), Optional.empty()).init().nodeRegistration())
        .isEqualTo(KubeadmConfig.empty().init().nodeRegistration());
    assertThat(List.of(UpgradeConfigReader.APPLY_PHASES, UpgradeConfigReader.NODE_PHASES))
        .allSatisfy(phases -> assertThat(phases).contains("control-plane"));
  }
}
