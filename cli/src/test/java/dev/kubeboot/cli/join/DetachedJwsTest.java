package dev.kubeboot.cli.join;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeboot.cli.token.BootstrapTokenString;
import org.junit.jupiter.api.Test;

class DetachedJwsTest {
  private static final String CONTENT = "apiVersion: v1\nkind: Config\n";
  private static final BootstrapTokenString TOKEN =
      new BootstrapTokenString("abcdef", "0123456789abcdef");

  @Test
  void matches_a_signature_computed_independently() {
    // Computed with Python's hmac/hashlib/base64 over the RFC 7515 signing input.
    String expected =
        "eyJhbGciOiJIUzI1NiIsImtpZCI6ImFiY2RlZiJ9..vH_kT4yiol-nrAWgjfCYqvum5wsKETXe0S7OOp1VgnE";
    assertThat(DetachedJws.sign(CONTENT, TOKEN)).isEqualTo(expected);
    assertThat(DetachedJws.verifies(expected, CONTENT, TOKEN)).isTrue();
  }

  @Test
  void another_secret_another_id_or_other_content_do_not_verify() {
    String signature = DetachedJws.sign(CONTENT, TOKEN);
    assertThat(
            DetachedJws.verifies(
                signature, CONTENT, new BootstrapTokenString("abcdef", "0123456789abcdee")))
        .isFalse();
    assertThat(
            DetachedJws.verifies(
                signature, CONTENT, new BootstrapTokenString("abcdeg", "0123456789abcdef")))
        .isFalse();
    assertThat(DetachedJws.verifies(signature, CONTENT + " ", TOKEN)).isFalse();
  }
}
