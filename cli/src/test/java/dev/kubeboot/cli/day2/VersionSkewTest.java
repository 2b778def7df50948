package dev.kubeboot.cli.day2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeboot.templates.KubernetesVersion;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VersionSkewTest {

  @ParameterizedTest(name = "{0}: {1} -> {2} (force {3}) -> {4}")
  @CsvSource({
    "a patch upgrade is allowed, v1.33.5, v1.33.6, false, ALLOWED",
    "the next minor is allowed, v1.33.6, v1.34.2, false, ALLOWED",
    "the same version is allowed (a repair), v1.34.2, v1.34.2, false, ALLOWED",
    "skipping a minor is refused, v1.32.10, v1.34.2, false, SKIPS_A_MINOR",
    "skipping three minors is refused, v1.31.14, v1.34.2, false, SKIPS_A_MINOR",
    "--force does not allow skipping a minor, v1.31.14, v1.33.6, true, SKIPS_A_MINOR",
    "a patch downgrade needs --force, v1.34.2, v1.34.1, false, DOWNGRADE",
    "a minor downgrade needs --force, v1.34.2, v1.33.6, false, DOWNGRADE",
    "a forced downgrade of one minor is allowed, v1.34.2, v1.33.6, true, ALLOWED",
    "a downgrade by two minors is refused even forced, v1.34.2, v1.32.10, true,"
        + " DOWNGRADE_BY_MORE_THAN_ONE_MINOR",
  })
  void theSkewPolicy(String sentence, String from, String to, boolean force, String expected) {
    Optional<VersionSkew.Refusal> refusal =
        VersionSkew.check(KubernetesVersion.parse(from), KubernetesVersion.parse(to), force);
    if (expected.equals("ALLOWED")) {
      assertThat(refusal).isEmpty();
    } else {
      VersionSkew.Rule rule = VersionSkew.Rule.valueOf(expected);
      assertThat(refusal).isPresent();
      assertThat(refusal.get().rule()).isEqualTo(rule);
      assertThat(refusal.get().message())
          .contains("version skew policy (" + rule.text() + ")")
          .contains(from)
          .contains(to);
    }
  }

  @ParameterizedTest(name = "from {0}: {1}")
  @CsvSource({
    "v1.33.5, 'v1.33.6,v1.34.2'",
    "v1.33.6, 'v1.34.2'",
    "v1.31.0, 'v1.31.14,v1.32.10'",
    "v1.34.2, ''",
  })
  void theTargetsArePerMinorTheNewestKnownPatch(String from, String expected) {
    assertThat(UpgradeTargets.available(KubernetesVersion.parse(from)))
        .map(KubernetesVersion::text)
        .containsExactlyElementsOf(
            expected.isEmpty() ? java.util.List.of() : java.util.List.of(expected.split(",")));
  }
}
