package dev.kubeboot.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The detached JWS against cluster-bootstrap's own test vectors (token/jws/jws_test.go). */
class JwsTest {
  static final String CONTENT = "Hello from the other side. I must have called a thousand times.";

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "content and secret|true|my voice is my passcode"
            + "|eyJhbGciOiJIUzI1NiIsImtpZCI6Impvc2h1YSJ9..VShe2taLd-YTrmWuRkcL_8QTNDHYxQIEBsAYYiIj1_8",
        "empty content|false|my voice is my passcode"
            + "|eyJhbGciOiJIUzI1NiIsImtpZCI6Impvc2h1YSJ9..7Ui1ALizW4jXphVUB7xUqC9vLYLL9RZeOFfVLoB7Tgk",
        "empty secret|true|"
            + "|eyJhbGciOiJIUzI1NiIsImtpZCI6Impvc2h1YSJ9..UfkqvDGiIFxrMnFseDj9LYJOLNrvjW8aHhF71mvvAs8"
      })
  void signaturesMatchKubernetesTestVectors(
      String name, boolean withContent, String secret, String expected) {
    String content = withContent ? CONTENT : "";
    assertThat(Jws.detachedSignature(content, "joshua", secret == null ? "" : secret))
        .isEqualTo(expected);
  }
}
