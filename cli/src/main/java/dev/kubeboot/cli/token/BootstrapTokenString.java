package dev.kubeboot.cli.token;

import java.security.SecureRandom;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A bootstrap token, {@code <id>.<secret>}: 6 and 16 characters of {@code [a-z0-9]}. The id is
 * public (the Secret is named after it); the secret is not, so {@link #toString} withholds it.
 */
public record BootstrapTokenString(String id, String secret) {
  /** The whole token (cluster-bootstrap's BootstrapTokenPattern). */
  public static final Pattern TOKEN = Pattern.compile("\\A([a-z0-9]{6})\\.([a-z0-9]{16})\\z");

  /** A token id (BootstrapTokenIDPattern). */
  public static final Pattern ID = Pattern.compile("\\A[a-z0-9]{6}\\z");

  private static final String ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

  public BootstrapTokenString {
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          "bootstrap token id \"" + id + "\" does not match [a-z0-9]{6}");
    }
    if (secret == null || !secret.matches("[a-z0-9]{16}")) {
      throw new IllegalArgumentException("bootstrap token secret does not match [a-z0-9]{16}");
    }
  }

  /**
   * The token in {@code text}, or empty when it is not of the form {@code
   * [a-z0-9]{6}.[a-z0-9]{16}}.
   */
  public static Optional<BootstrapTokenString> parse(String text) {
    Matcher m = text == null ? null : TOKEN.matcher(text);
    return m != null && m.matches()
        ? Optional.of(new BootstrapTokenString(m.group(1), m.group(2)))
        : Optional.empty();
  }

  /** A new random token, every character drawn uniformly from {@code 0-9a-z}. */
  public static BootstrapTokenString generate(SecureRandom random) {
    return new BootstrapTokenString(randomString(random, 6), randomString(random, 16));
  }

  private static String randomString(SecureRandom random, int length) {
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return out.toString();
  }

  /** {@code <id>.<secret>}: the value to hand to a joining node. */
  public String value() {
    return id + "." + secret;
  }

  /** The id only: keeps the secret out of logs and exception messages. */
  @Override
  public String toString() {
    return id + ".<secret withheld>";
  }
}
