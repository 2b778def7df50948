package dev.kubeboot.cli.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The reader eats untrusted input: whatever the bytes, it answers a config or a ConfigException.
 */
class ConfigReaderPropertiesTest {
  private static final List<String> SEEDS =
      List.of(
          ConfigReaderTest.resource("init-defaults-1.34.yaml"),
          ConfigReaderTest.resource("v1beta4-documented-example.yaml"),
          ConfigReaderTest.resource("v1beta3-example.yaml"));

  /** Besides {@link ConfigMutations#YAML_TOKENS}: what this reader in particular trips on. */
  private static final List<String> TOKENS =
      List.of(
          "'",
          "!!binary ",
          "99999999999",
          "0x1F",
          "1:30",
          "10.0.0.0/33",
          "::",
          "valueFrom:",
          "<<: ",
          "|\n",
          "? ",
          "\u00b5s",
          "v1beta2");

  private final ConfigReader reader = new ConfigReader();
  private final InitConfigLoader defaults =
      new InitConfigLoader(NodePaths.standard(), () -> "node", InetAddress::getLoopbackAddress);

  @Provide
  Arbitrary<List<ConfigMutations.Mutation>> mutations() {
    return ConfigMutations.of(SEEDS.size(), TOKENS);
  }

  @Property(tries = 400)
  void aMutatedConfigIsReadOrRejectedWithAConfigException(
      @ForAll("mutations") List<ConfigMutations.Mutation> mutations) {
    String text = ConfigMutations.apply(SEEDS, mutations);
    try {
      KubeadmConfig config = defaults.resolve(reader.read(text, "fuzz.yaml"), InitFlags.none());
      assertThat(config.cluster().kubernetesVersion().text()).startsWith("v1.");
    } catch (ConfigException e) {
      // Every problem is reported, one per line, each naming the file or the field.
      assertThat(e.getMessage()).isNotBlank();
      assertThat(e.getMessage().lines())
          .allSatisfy(
              line ->
                  assertThat(line)
                      .matches("(fuzz\\.yaml|InitConfiguration|ClusterConfiguration|Kubelet).*"));
    }
  }
}
