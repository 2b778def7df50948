package dev.kubeboot.cli.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
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
  private static final List<String> TOKENS =
      List.of(
          ":",
          "- ",
          "  ",
          "\n",
          "[",
          "]",
          "{",
          "}",
          "\"",
          "&a ",
          "*a",
          "---\n",
          "null",
          "~",
          "true",
          "-1",
          "99999999999",
          "4m",
          "v1beta3",
          "kind: X\n",
          "kind: InitConfiguration\n",
          "#",
          "\t");

  record Mutation(int seed, int position, int length, String insert) {}

  @Provide
  Arbitrary<List<Mutation>> mutations() {
    Arbitrary<Mutation> one =
        Combinators.combine(
                Arbitraries.integers().between(0, SEEDS.size() - 1),
                Arbitraries.integers().between(0, 1_000_000),
                Arbitraries.integers().between(0, 12),
                Arbitraries.oneOf(Arbitraries.of(TOKENS), Arbitraries.strings().ofMaxLength(4)))
            .as(Mutation::new);
    return one.list().ofMinSize(1).ofMaxSize(4);
  }

  @Property(tries = 300)
  void aMutatedUpgradeConfigIsReadOrRejectedWithAConfigException(
      @ForAll("mutations") List<Mutation> mutations) {
    String text = SEEDS.get(mutations.get(0).seed());
    for (Mutation m : mutations) {
      int at = m.position() % (text.length() + 1);
      int end = Math.min(text.length(), at + m.length());
      text = text.substring(0, at) + m.insert() + text.substring(end);
    }
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
