package dev.kubeboot.testing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Verifies cluster-info's detached JWS with Debian's python3 (base64, hmac), knowing nothing of the
 * Java code that signed it: a bug shared by signer and checker cannot hide this way.
 */
public final class PythonJws {
  private static final String SCRIPT =
      """
      import base64, hashlib, hmac, json, sys
      config_map, token_id, secret = json.load(sys.stdin), sys.argv[1], sys.argv[2]
      signature = config_map["data"]["jws-kubeconfig-" + token_id]
      header_b64, payload_b64, mac_b64 = signature.split(".")
      assert payload_b64 == "", "the payload must be detached"
      assert "=" not in signature, "base64url without padding"
      def decode(text):
          return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
      header = json.loads(decode(header_b64))
      assert header == {"alg": "HS256", "kid": token_id}, header
      content = config_map["data"]["kubeconfig"].encode()
      payload = base64.urlsafe_b64encode(content).rstrip(b"=")
      mac = hmac.new(secret.encode(), header_b64.encode() + b"." + payload, hashlib.sha256)
      assert hmac.compare_digest(decode(mac_b64), mac.digest()), "the MAC does not verify"
      print("valid JWS for token " + token_id)
      """;

  /** What python printed and how it exited. */
  public record Verdict(int exitCode, String output) {
    public boolean valid() {
      return exitCode == 0;
    }
  }

  private PythonJws() {}

  /**
   * Checks the {@code jws-kubeconfig-<id>} entry of the cluster-info ConfigMap given as JSON, with
   * the script written into {@code dir}.
   */
  public static Verdict verify(Path dir, String configMapJson, String id, String secret)
      throws Exception {
    Path script = dir.resolve("verify_jws.py");
    Files.writeString(script, SCRIPT);
    Process python =
        new ProcessBuilder("/usr/bin/python3", script.toString(), id, secret)
            .redirectErrorStream(true)
            .start();
    python.getOutputStream().write(configMapJson.getBytes(StandardCharsets.UTF_8));
    python.getOutputStream().close();
    String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Verdict(python.waitFor(), out);
  }
}
