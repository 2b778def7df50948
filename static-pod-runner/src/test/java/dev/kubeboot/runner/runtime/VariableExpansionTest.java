package dev.kubeboot.runner.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeboot.runner.pod.EnvVar;
import dev.kubeboot.runner.pod.IpField;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VariableExpansionTest {
  private static final Map<String, String> VARS =
      Map.of("DATA", "/var/lib/etcd", "PORT", "2379", "EMPTY", "");

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "a defined variable is replaced          | --data-dir=$(DATA)       |"
            + " --data-dir=/var/lib/etcd",
        "two variables in one word               | $(DATA):$(PORT)          | /var/lib/etcd:2379",
        "an undefined variable stays as written  | $(NOPE)/x                | $(NOPE)/x",
        "a variable defined as empty is empty    | a$(EMPTY)b               | ab",
        "$$ escapes a reference                  | $$(DATA)                 | $(DATA)",
        "$$ alone becomes one $                  | cost$$                   | cost$",
        "a lone $ before another char is kept    | $DATA                    | $DATA",
        "a trailing $ is kept                    | end$                     | end$",
        "an unclosed reference is kept           | $(DATA                   | $(DATA",
        "a reference runs to the first closer    | $($(PORT)                | $($(PORT)",
        "an empty name stays as written          | $()                      | $()",
        "no reference at all                     | plain                    | plain",
      })
  void expandsAsTheKubelet(String name, String input, String expected) {
    assertThat(VariableExpansion.expand(input, VARS)).isEqualTo(expected);
  }

  @Test
  void envValuesSeeOnlyVariablesDeclaredBeforeThem() {
    Map<String, String> env =
        VariableExpansion.resolveEnv(
            List.of(
                new EnvVar("LATER_REF", "$(BASE)/x"),
                new EnvVar("BASE", "/opt"),
                new EnvVar("DERIVED", "$(BASE)/bin"),
                new EnvVar("BASE", "/override")),
            List.of());
    assertThat(env)
        .containsExactly(
            Map.entry("LATER_REF", "$(BASE)/x"),
            Map.entry("DERIVED", "/opt/bin"),
            Map.entry("BASE", "/override"));
  }

  @Test
  void thePodsIpsFillStatusPodIpAndReferencesToIt() {
    List<EnvVar> env =
        List.of(
            new EnvVar("EARLY", "$(POD_IP)"),
            EnvVar.podIPs("POD_IP", IpField.PRIMARY),
            EnvVar.podIPs("POD_IPS", IpField.ALL),
            new EnvVar("PEER_URL", "https://$(POD_IP):2380"),
            new EnvVar("ALL", "[$(POD_IPS)]"));

    assertThat(VariableExpansion.resolveEnv(env, List.of("10.22.0.9", "fd00:22::9")))
        .containsExactly(
            // as with any variable, only later values see it
            Map.entry("EARLY", "$(POD_IP)"),
            Map.entry("POD_IP", "10.22.0.9"),
            Map.entry("POD_IPS", "10.22.0.9,fd00:22::9"),
            Map.entry("PEER_URL", "https://10.22.0.9:2380"),
            Map.entry("ALL", "[10.22.0.9,fd00:22::9]"));
    assertThat(VariableExpansion.resolveEnv(env, List.of("10.22.0.9")))
        .containsEntry("POD_IPS", "10.22.0.9");
  }

  @Test
  void aPodWhoseNetworkGaveNoIpGetsEmptyValuesAsFromTheKubelet() {
    List<EnvVar> env =
        List.of(
            EnvVar.podIPs("POD_IP", IpField.PRIMARY),
            EnvVar.podIPs("POD_IPS", IpField.ALL),
            new EnvVar("URL", "http://$(POD_IP):80"));
    assertThat(VariableExpansion.resolveEnv(env, List.of()))
        .containsExactly(
            Map.entry("POD_IP", ""), Map.entry("POD_IPS", ""), Map.entry("URL", "http://:80"));
  }

  @Test
  void valueFromIsNeverExpanded() {
    List<EnvVar> env =
        List.of(
            new EnvVar("A", "a"),
            EnvVar.field("FROM_FIELD", "$(A)"),
            new EnvVar("LITERAL", "$(A)"));
    assertThat(VariableExpansion.resolveEnv(env, List.of()))
        .containsEntry("FROM_FIELD", "$(A)")
        .containsEntry("LITERAL", "a");
  }
}
