package dev.kubeboot.cli.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubeboot.cli.config.BootstrapToken;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class BootstrapTokensTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  @Test
  void noConfiguredTokenGivesOneWithKubeadmsDefaults() {
    var tokens = BootstrapTokens.resolve(List.of(), Optional.empty(), Optional.empty(), RANDOM);
    assertThat(tokens)
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.token().value()).matches("[a-z0-9]{6}\\.[a-z0-9]{16}");
              assertThat(t.ttl()).contains(Duration.ofHours(24));
              assertThat(t.usages()).containsExactly("signing", "authentication");
              assertThat(t.groups())
                  .containsExactly("system:bootstrappers:kubeadm:default-node-token");
            });
  }

  @Test
  void flagsApplyToTheFirstTokenOnly() {
    var configured =
        List.of(
            token(Optional.of("aaaaaa.bbbbbbbbbbbbbbbb"), Optional.of(Duration.ofHours(2))),
            token(Optional.empty(), Optional.empty()));
    var tokens =
        BootstrapTokens.resolve(
            configured, Optional.of("abcdef.0123456789abcdef"), Optional.of(Duration.ZERO), RANDOM);
    assertThat(tokens.get(0).token().value()).isEqualTo("abcdef.0123456789abcdef");
    assertThat(tokens.get(0).expiration(Instant.EPOCH)).as("ttl 0: never").isEmpty();
    assertThat(tokens.get(1).ttl()).contains(Duration.ofHours(24));
  }

  @Test
  void badValuesNameTheirField() {
    assertThatThrownBy(
            () ->
                BootstrapTokens.resolve(
                    List.of(token(Optional.of("short.x"), Optional.empty())),
                    Optional.empty(),
                    Optional.empty(),
                    RANDOM))
        .hasMessageContaining("InitConfiguration.bootstrapTokens[0].token");
    var badGroup =
        new BootstrapToken(
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            List.of(),
            List.of("system:masters"));
    assertThatThrownBy(
            () ->
                BootstrapTokens.resolve(
                    List.of(badGroup), Optional.empty(), Optional.empty(), RANDOM))
        .hasMessageContaining("bootstrapTokens[0]")
        .hasMessageContaining("system:bootstrappers:");
    var badUsage =
        new BootstrapToken(
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            List.of("root"),
            List.of());
    assertThatThrownBy(
            () ->
                BootstrapTokens.resolve(
                    List.of(badUsage), Optional.empty(), Optional.empty(), RANDOM))
        .hasMessageContaining("unknown token usage \"root\"");
    var badExpiry =
        new BootstrapToken(
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.of("tomorrow"),
            List.of(),
            List.of());
    assertThatThrownBy(
            () ->
                BootstrapTokens.resolve(
                    List.of(badExpiry), Optional.empty(), Optional.empty(), RANDOM))
        .hasMessageContaining("bootstrapTokens[0].expires");
  }

  @RepeatedTest(5)
  void generatedTokensUseOnlyLowerCaseLettersAndDigitsAndHideTheirSecret() {
    BootstrapTokenString token = BootstrapTokenString.generate(RANDOM);
    assertThat(token.value()).matches(BootstrapTokenString.TOKEN.pattern());
    assertThat(token.toString()).doesNotContain(token.secret());
  }

  private static BootstrapToken token(Optional<String> value, Optional<Duration> ttl) {
    return new BootstrapToken(value, Optional.empty(), ttl, Optional.empty(), List.of(), List.of());
  }
}
