package dev.kubeboot.runner.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeboot.runner.pod.EnvVar;
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
                new EnvVar("BASE", "/override")));
    assertThat(env)
        .containsExactly(
            Map.entry("LATER_REF", "$(BASE)/x"),
            Map.entry("DERIVED", "/opt/bin"),
            Map.entry("BASE", "/override"));
  }
}
