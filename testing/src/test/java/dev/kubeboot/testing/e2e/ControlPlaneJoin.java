package dev.kubeboot.testing.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The control-plane join command {@code kubeboot init --upload-certs} prints, as the multi-node ITs
 * read it from init's output to run it on the joining nodes.
 */
record ControlPlaneJoin(String endpoint, String token, String caCertHash, String certificateKey) {
  private static final Pattern JOIN =
      Pattern.compile(
          "kubeboot join (\\S+) --token (\\S+) \\\\\\n\\t--discovery-token-ca-cert-hash"
              + " (sha256:[0-9a-f]{64}) \\\\\\n\\t--control-plane --certificate-key ([0-9a-f]{64})");

  /** The command printed in {@code initOutput}; fails, showing the output, when there is none. */
  static ControlPlaneJoin in(String initOutput) {
    Matcher join = JOIN.matcher(initOutput);
    assertThat(join.find()).as(initOutput).isTrue();
    return new ControlPlaneJoin(join.group(1), join.group(2), join.group(3), join.group(4));
  }

  /** kubeboot's arguments for this join, before the joining node's own flags. */
  List<String> args() {
    return List.of(
        "join",
        endpoint,
        "--token",
        token,
        "--discovery-token-ca-cert-hash",
        caCertHash,
        "--control-plane",
        "--certificate-key",
        certificateKey);
  }
}
