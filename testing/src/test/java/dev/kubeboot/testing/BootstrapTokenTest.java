package dev.kubeboot.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class BootstrapTokenTest {
  static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
  final JsonMapper json = JsonMapper.builder().build();

  ObjectNode secret(String name, String type, Map<String, String> data) {
    ObjectNode secret = json.createObjectNode().put("apiVersion", "v1").put("kind", "Secret");
    secret.putObject("metadata").put("name", name).put("namespace", "kube-system").put("uid", "u1");
    secret.put("type", type);
    ObjectNode encoded = secret.putObject("data");
    data.forEach(
        (k, v) ->
            encoded.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    return secret;
  }

  BootstrapToken token(Map<String, String> data) {
    return BootstrapToken.of(secret("bootstrap-token-abcdef", BootstrapToken.SECRET_TYPE, data))
        .orElseThrow();
  }

  @Test
  void aSecretOfAnotherTypeIsNoToken() {
    assertThat(BootstrapToken.of(secret("bootstrap-token-abcdef", "Opaque", Map.of()))).isEmpty();
  }

  @ParameterizedTest(name = "expiration \"{0}\" at 10:00:00Z: expired {1}")
  @CsvSource({
    "2026-03-01T10:00:01Z,false",
    "2026-03-01T10:00:00Z,true",
    "2026-03-01T09:59:59Z,true",
    "2026-03-01T11:00:00+01:00,true",
    "2026-03-01T10:00:00.5Z,false",
    "tomorrow,true"
  })
  void expirationIsRfc3339AndUnparseableMeansExpired(String expiration, boolean expired) {
    assertThat(token(Map.of("expiration", expiration)).expired(NOW)).isEqualTo(expired);
  }

  @Test
  void noExpirationNeverExpires() {
    assertThat(token(Map.of()).remaining(NOW)).isEmpty();
    assertThat(token(Map.of()).expired(NOW)).isFalse();
    assertThat(token(Map.of("expiration", "2026-03-01T10:01:00Z")).remaining(NOW))
        .contains(Duration.ofMinutes(1));
  }

  @Test
  void groupsAreSortedWithTheDefaultGroupAndInvalidOnesAreRefused() {
    assertThat(
            token(
                    Map.of(
                        "auth-extra-groups",
                        "system:bootstrappers:kubeadm:default-node-token,system:bootstrappers:a"))
                .groups())
        .containsExactly(
            "system:bootstrappers",
            "system:bootstrappers:a",
            "system:bootstrappers:kubeadm:default-node-token");
    assertThatThrownBy(() -> token(Map.of("auth-extra-groups", "system:masters")).groups())
        .hasMessageContaining("\"system:masters\"");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "a valid signing token signs|bootstrap-token-abcdef|abcdef|0123456789abcdef|true|true",
        "the name must carry the id|bootstrap-token-abcdef|zzzzzz|0123456789abcdef|true|false",
        "a name of another form does not sign|my-token|abcdef|0123456789abcdef|true|false",
        "an empty secret does not sign|bootstrap-token-abcdef|abcdef|''|true|false",
        "usage must be exactly true|bootstrap-token-abcdef|abcdef|0123456789abcdef|false|false"
      })
  void signingTokens(
      String name, String secretName, String id, String secretValue, boolean usage, boolean signs) {
    Map<String, String> data =
        Map.of(
            "token-id",
            id,
            "token-secret",
            secretValue,
            "usage-bootstrap-signing",
            usage ? "true" : "True",
            "expiration",
            "2026-03-02T00:00:00Z");
    Optional<Map.Entry<String, String>> signing =
        BootstrapToken.of(secret(secretName, BootstrapToken.SECRET_TYPE, data))
            .orElseThrow()
            .forSigning(NOW);
    assertThat(signing.isPresent()).isEqualTo(signs);
  }

  @Test
  void anExpiredTokenDoesNotSign() {
    Map<String, String> data =
        Map.of(
            "token-id", "abcdef",
            "token-secret", "0123456789abcdef",
            "usage-bootstrap-signing", "true",
            "expiration", "2026-03-01T09:00:00Z");
    assertThat(token(data).forSigning(NOW)).isEmpty();
  }

  @ParameterizedTest(name = "\"{0}\" is a token: {1}")
  @CsvSource({
    "abcdef.0123456789abcdef,true",
    "ABCDEF.0123456789abcdef,false",
    "abcdef.0123456789abcde,false",
    "abcdef0123456789abcdef,false",
    "abcdef.0123456789abcdef.x,false"
  })
  void tokenShape(String token, boolean valid) {
    assertThat(BootstrapToken.split(token).isPresent()).isEqualTo(valid);
  }
}
