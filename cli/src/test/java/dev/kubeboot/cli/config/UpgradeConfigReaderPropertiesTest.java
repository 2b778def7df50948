package dev.kubeboot.cli.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The upgrade reader eats untrusted input too: whatever the bytes, it answers a reading or a
 * ConfigException whose every line names the file.
 */
class UpgradeConfigReaderPropertiesTest {
  private static final String EVERY_SECTION =
      """
      apiVersion: kubeadm.k8s.io/v1beta4
      kind: UpgradeConfiguration
      apply:
        kubernetesVersion: v1.34.2
        forceUpgrade: true
        skipPhases:
        - control-plane
        patches:
          directory: /etc/kubernetes/patches
      diff:
        contextLines: 5
      node:
        imagePullPolicy: Never
      plan:
        printConfig: true
      timeouts:
        upgradeManifests: 90s
      ---
      apiVersion: kubeadm.k8s.io/v1beta4
      kind: ClusterConfiguration
      kubernetesVersion: v1.33.6
      """;
  private static final List<String> SEEDS =
      List.of(ConfigReaderTest.resource("upgrade-defaults-1.34.yaml"), EVERY_SECTION);

  /** Besides {@link ConfigMutations#YAML_TOKENS}: what this reader in particular trips on. */
  private static final List<String> TOKENS =
      List.of("99999999999", "v1beta3", "kind: InitConfiguration\n");

  @Provide
  Arbitrary<List<ConfigMutations.Mutation>> mutations() {
    return ConfigMutations.of(SEEDS.size(), TOKENS);
  }

  @Property(tries = 300)
  void aMutatedUpgradeConfigIsReadOrRejectedWithAConfigException(
      @ForAll("mutations") List<ConfigMutations.Mutation> mutations) {
    String text = ConfigMutations.apply(SEEDS, mutations);
    try {
      var reading = new UpgradeConfigReader().read(text, "fuzz.yaml");
      assertThat(reading.upgrade()).isNotNull();
      assertThat(reading.upgrade().diff().contextLines().orElse(0)).isNotNegative();
    } catch (ConfigException e) {
      assertThat(e.getMessage()).isNotBlank();
      assertThat(e.getMessage().lines())
          .allSatisfy(line -> assertThat(line).startsWith("fuzz.yaml"));
    }
  }
}
