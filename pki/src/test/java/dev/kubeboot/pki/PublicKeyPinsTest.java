package dev.kubeboot.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class PublicKeyPinsTest {
  @TempDir Path dir;

  /**
   * kubeadm's documented recipe for the hash, run with the real openssl: the public key out of the
   * certificate, as DER, through SHA-256.
   */
  @ParameterizedTest(name = "{0}: the pin equals openssl's SHA-256 of the DER public key")
  @EnumSource(
      value = KeyAlgorithm.class,
      names = {"RSA_2048", "ECDSA_P256"})
  void matchesOpenssl(KeyAlgorithm algorithm) throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is not installed");
    X509Certificate ca =
        new CertificateIssuer(Instant.now(), new SecureRandom())
            .selfSignedCa("kubernetes", TestKeys.get(algorithm), Duration.ofDays(1));
    Path crt = dir.resolve("ca.crt");
    Files.writeString(crt, Pem.encode(ca));
    Process p =
        new ProcessBuilder(
                "sh",
                "-c",
                "openssl x509 -pubkey -noout -in \"$1\" | openssl pkey -pubin -outform der"
                    + " | openssl dgst -sha256 -hex",
                "sh",
                crt.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String hex = out.substring(out.lastIndexOf(' ') + 1);

    assertThat(PublicKeyPins.sha256(ca)).isEqualTo("sha256:" + hex).matches("sha256:[0-9a-f]{64}");
  }

  @ParameterizedTest(name = "\"{0}\" parses to \"{1}\"")
  @CsvSource(
      delimiter = '|',
      value = {
        "sha256:7F3EAB15F8E7C7B1E2F28A2A9C6A8A3F1E0D9C8B7A6F5E4D3C2B1A0F9E8D7C6B"
            + "|sha256:7f3eab15f8e7c7b1e2f28a2a9c6a8a3f1e0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b",
        "SHA256:0000000000000000000000000000000000000000000000000000000000000000"
            + "|sha256:0000000000000000000000000000000000000000000000000000000000000000",
        "sha256:abc|",
        "md5:0000000000000000000000000000000000000000000000000000000000000000|",
        "0000000000000000000000000000000000000000000000000000000000000000|",
        "sha256:00:00|"
      })
  void parsesAsKubeadm(String input, String expected) {
    assertThat(PublicKeyPins.parse(input)).isEqualTo(Optional.ofNullable(expected));
  }
}
