package dev.kubeboot.cli.join;

import dev.kubeboot.cli.token.BootstrapTokenString;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The detached JWS the bootstrap signer puts beside cluster-info's kubeconfig (RFC 7515 appendix
 * F): protected header {@code {"alg":"HS256","kid":"<token id>"}}, HMAC-SHA256 keyed with the token
 * secret over {@code <b64url(header)>.<b64url(kubeconfig)>}, written {@code
 * <b64url(header)>..<b64url(mac)>}. A joining node recomputes it with the token it was given and
 * compares, as kubeadm does: only a holder of the token could have produced it.
 */
public final class DetachedJws {
  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

  private DetachedJws() {}

  public static String sign(String content, BootstrapTokenString token) {
    String header =
        B64URL.encodeToString(
            ("{\"alg\":\"HS256\",\"kid\":\"" + token.id() + "\"}")
                .getBytes(StandardCharsets.UTF_8));
    String payload = B64URL.encodeToString(content.getBytes(StandardCharsets.UTF_8));
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(token.secret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] signature = mac.doFinal((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
      return header + ".." + B64URL.encodeToString(signature);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK has no HmacSHA256", e);
    }
  }

  /**
   * Whether {@code signature} signs {@code content} with {@code token}, compared in constant time.
   */
  public static boolean verifies(String signature, String content, BootstrapTokenString token) {
    return MessageDigest.isEqual(
        sign(content, token).getBytes(StandardCharsets.US_ASCII),
        signature.getBytes(StandardCharsets.US_ASCII));
  }
}
