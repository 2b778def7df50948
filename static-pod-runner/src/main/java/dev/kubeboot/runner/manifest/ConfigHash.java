package dev.kubeboot.runner.manifest;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The static pod's UID and {@code kubernetes.io/config.hash}: what changes it restarts the pod.
 *
 * <p>Value: the first 16 bytes of SHA-256, as 32 lower-case hex digits, over the UTF-8 bytes of
 *
 * <pre>canonical(defaulted pod) + "host:" + nodeName + "file:" + absolute path of the file</pre>
 *
 * <p>The defaulted pod is the tree after {@link PodDefaults} and before the runner adds {@code
 * metadata.uid}, {@code kubernetes.io/config.hash} and {@code kubernetes.io/config.seen}; so a
 * comment, whitespace, key order, YAML versus JSON, or a default written out changes nothing, while
 * renaming the file, moving it or another node name gives another UID. The kubelet hashes Go
 * structs with MD5 (DeepHashObject), which shifts between kubelet versions; this form is fixed and
 * versioned only by this comment.
 *
 * <p>{@code canonical} is compact JSON: objects with keys sorted by UTF-16 code units (Java's
 * {@code String.compareTo}), no whitespace; strings escape {@code "} and {@code \} with a backslash
 * and control characters below U+0020 as {@code \}{@code u00xx} (lower-case hex), everything else
 * literal; integers in decimal; other numbers as the shortest plain decimal ({@code
 * BigDecimal.stripTrailingZeros().toPlainString()}); {@code true}, {@code false}, {@code null}.
 */
final class ConfigHash {
  private ConfigHash() {}

  static String of(Map<String, Object> defaultedPod, String nodeName, Path file) {
    StringBuilder out = new StringBuilder(4096);
    canonical(defaultedPod, out);
    out.append("host:").append(nodeName).append("file:").append(file.toAbsolutePath());
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(out.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK provides SHA-256", e);
    }
  }

  static String canonical(Object tree) {
    StringBuilder out = new StringBuilder();
    canonical(tree, out);
    return out.toString();
  }

  private static void canonical(Object node, StringBuilder out) {
    switch (node) {
      case null -> out.append("null");
      case Map<?, ?> map -> {
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : new TreeMap<>(map).entrySet()) {
          if (!first) {
            out.append(',');
          }
          first = false;
          string((String) e.getKey(), out);
          out.append(':');
          canonical(e.getValue(), out);
        }
        out.append('}');
      }
      case List<?> list -> {
        out.append('[');
        for (int i = 0; i < list.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          canonical(list.get(i), out);
        }
        out.append(']');
      }
      case String s -> string(s, out);
      case Boolean b -> out.append(b);
      case Long l -> out.append(l);
      case Integer i -> out.append(i);
      case BigInteger b -> out.append(b);
      case Double d when d.isNaN() || d.isInfinite() -> string(d.toString(), out);
      case Double d -> out.append(BigDecimal.valueOf(d).stripTrailingZeros().toPlainString());
      default -> throw new IllegalArgumentException("not a manifest value: " + node.getClass());
    }
  }

  private static void string(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    out.append('"');
  }
}
