package dev.kubeboot.testing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The detached JWS cluster-bootstrap computes for cluster-info (RFC 7515 appendix F): the protected
 * header {@code {"alg":"HS256","kid":"<token id>"}} (go-jose writes the members in this order, no
 * spaces), HMAC-SHA256 over {@code <b64url(header)>.<b64url(content)>} keyed with the token
 * secret's bytes, and the compact form with the payload left out: {@code
 * <b64url(header)>..<b64url(signature)>}, base64url without padding. (cluster-bootstrap pads a
 * short key with zero bytes to 32; HMAC pads to its 64-byte block with zeros anyway, so the MAC is
 * the same.)
 */
final class Jws {
  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

  private Jws() {}

  static String detachedSignature(String content, String tokenId, String tokenSecret) {
    String header =
        B64URL.encodeToString(
            ("{\"alg\":\"HS256\",\"kid\":" + StatusJson.quote(tokenId) + "}")
                .getBytes(StandardCharsets.UTF_8));
    String payload = B64URL.encodeToString(content.getBytes(StandardCharsets.UTF_8));
    byte[] key = tokenSecret.getBytes(StandardCharsets.UTF_8);
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      // An empty secret is a valid go-jose key once padded: pad as cluster-bootstrap does.
      mac.init(new SecretKeySpec(key.length == 0 ? new byte[32] : key, "HmacSHA256"));
      byte[] signature = mac.doFinal((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
      return header + ".." + B64URL.encodeToString(signature);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK has no HmacSHA256", e);
    }
  }
}
