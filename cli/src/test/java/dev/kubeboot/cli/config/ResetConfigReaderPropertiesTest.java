package dev.kubeboot.cli.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The reset reader eats untrusted input too: whatever the bytes, it answers a reading or a
 * ConfigException whose every line names the file.
 */
class ResetConfigReaderPropertiesTest {
  private static final String EVERY_FIELD =
      """
      apiVersion: kubeadm.k8s.io/v1beta4
      kind: ResetConfiguration
      cleanupTmpDir: true
      certificatesDir: /etc/kubernetes/pki
      dryRun: false
      force: true
      ignorePreflightErrors: [all]
      skipPhases: [remove-etcd-member]
      unmountFlags: [MNT_DETACH]
      timeouts:
        etcdAPICall: 90s
      ---
      apiVersion: kubeadm.k8s.io/v1beta4
      kind: ClusterConfiguration
      certificatesDir: /srv/pki
      """;
  private static final List<String> SEEDS =
      List.of(ConfigReaderTest.resource("reset-defaults-1.34.yaml"), EVERY_FIELD);

  /** Besides {@link ConfigMutations#YAML_TOKENS}: what this reader in particular trips on. */
  private static final List<String> TOKENS =
      List.of("relative/pki", "MNT_LAZY", "v1beta3", "kind: ResetConfiguration\n");

  @Provide
  Arbitrary<List<ConfigMutations.Mutation>> mutations() {
    return ConfigMutations.of(SEEDS.size(), TOKENS);
  }

  @Property(tries = 300)
  void aMutatedResetConfigIsReadOrRejectedWithAConfigException(
      @ForAll("mutations") List<ConfigMutations.Mutation> mutations) {
    String text = ConfigMutations.apply(SEEDS, mutations);
    try {
      ResetConfigReader.Reading reading = new ResetConfigReader().read(text, "fuzz.yaml");
      reading
          .config()
          .flatMap(ResetConfiguration::certificatesDir)
          .ifPresent(dir -> assertThat(dir).startsWith("/"));
      assertThat(reading.warnings()).allSatisfy(w -> assertThat(w).startsWith("fuzz.yaml"));
    } catch (ConfigException e) {
      assertThat(e.getMessage()).isNotBlank();
      assertThat(e.getMessage().lines())
          .allSatisfy(line -> assertThat(line).startsWith("fuzz.yaml"));
    }
  }
}
