package dev.kubeboot.templates;

import java.util.regex.Pattern;

/**
 * Writes one string as one YAML scalar that reads back as exactly that string.
 *
 * <p>Plain (unquoted) when a YAML 1.1 or 1.2 reader would take the text as the same string, so
 * manifests look like kubeadm's ({@code cpu: 250m}, {@code - --secure-port=6443}); double-quoted
 * with escapes otherwise. The YAML 1.1 resolvers matter because SnakeYAML and Go's yaml.v2 still
 * read {@code yes}, {@code 0123} or {@code 1:20} as booleans and numbers.
 */
final class YamlScalars {

  private static final Pattern IMPLICITLY_TYPED =
      Pattern.compile(
          String.join(
              "|",
              // null, booleans (1.1 and 1.2), merge and value keys
              "~|null|Null|NULL",
              "y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF",
              "<<|=",
              // integers: binary, octal (1.1 and 1.2), decimal, hex, sexagesimal
              "[-+]?0b_*[0-1][0-1_]*",
              "[-+]?0o?_*[0-7][0-7_]*",
              "[-+]?(?:0|[1-9][0-9_]*)",
              "[-+]?0x_*[0-9a-fA-F][0-9a-fA-F_]*",
              "[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+",
              // floats, including sexagesimal, infinities and NaN
              "[-+]?(?:\\.[0-9_]+|[0-9][0-9_]*(?:\\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?",
              "[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*",
              "[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN)",
              // timestamps
              "[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]|[ \\t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}"
                  + "(?:\\.[0-9]*)?(?:[ \\t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?"));

  /** Characters that start something other than a plain scalar when they come first. */
  private static final String INDICATORS = "-?:,[]{}#&*!|>'\"%@`";

  private YamlScalars() {}

  static String scalar(String value) {
    return isPlainSafe(value) ? value : doubleQuoted(value);
  }

  static boolean isPlainSafe(String s) {
    if (s.isEmpty() || IMPLICITLY_TYPED.matcher(s).matches()) {
      return false;
    }
    char first = s.charAt(0);
    char last = s.charAt(s.length() - 1);
    if (first == ' ' || last == ' ' || last == ':') {
      return false;
    }
    if (INDICATORS.indexOf(first) >= 0 && !startsLikeAFlag(s)) {
      return false;
    }
    if (s.startsWith("---") || s.startsWith("...")) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        return false;
      }
    }
    return !s.contains(": ") && !s.contains(" #");
  }

  /** {@code -} followed by a non-space is plain ({@code --flag=value}, {@code -5x}). */
  private static boolean startsLikeAFlag(String s) {
    return s.charAt(0) == '-' && s.length() > 1 && s.charAt(1) != ' ';
  }

  static String doubleQuoted(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        case '\r' -> out.append("\\r");
        case '\0' -> out.append("\\0");
        default -> {
          if (needsEscape(s, i)) {
            out.append(String.format("\\u%04X", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  private static boolean needsEscape(String s, int i) {
    char c = s.charAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029 || c == 0xfeff) {
      return true;
    }
    if (c >= 0xfffe) {
      return true;
    }
    // A lone surrogate cannot be written as UTF-8; a valid pair is written as is.
    if (Character.isHighSurrogate(c)) {
      return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
    }
    if (Character.isLowSurrogate(c)) {
      return i == 0 || !Character.isHighSurrogate(s.charAt(i - 1));
    }
    return false;
  }
}
