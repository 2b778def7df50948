package dev.kubeboot.cli.output;

import java.util.List;
import java.util.Map;

/**
 * Writes JSON as Go's {@code json.MarshalIndent} does, so that kubeadm's JSON outputs come out byte
 * for byte: {@code "key": value} with one space, the given indent per level, {@code []} and {@code
 * {}} for empty containers, and Go's string escaping ({@code <}, {@code >} and {@code &} as {@code
 * \u003c}, {@code \u003e}, {@code \u0026}). Keys are written in map order: give ordered maps.
 * Values are maps, lists, strings, numbers, booleans or null.
 */
public final class GoJson {
  private GoJson() {}

  /** The document followed by a newline, as kubeadm's printers end it. */
  public static String marshalIndent(Object value, String indent) {
    StringBuilder out = new StringBuilder();
    write(value, indent, "", out);
    return out.append('\n').toString();
  }

  private static void write(Object value, String indent, String prefix, StringBuilder out) {
    switch (value) {
      case null -> out.append("null");
      case String s -> quote(s, out);
      case Boolean b -> out.append(b);
      case Number n -> out.append(n);
      case Map<?, ?> map -> {
        if (map.isEmpty()) {
          out.append("{}");
          return;
        }
        out.append("{\n");
        String inner = prefix + indent;
        int i = 0;
        for (Map.Entry<?, ?> e : map.entrySet()) {
          out.append(inner);
          quote(String.valueOf(e.getKey()), out);
          out.append(": ");
          write(e.getValue(), indent, inner, out);
          out.append(++i < map.size() ? ",\n" : "\n");
        }
        out.append(prefix).append('}');
      }
      case List<?> list -> {
        if (list.isEmpty()) {
          out.append("[]");
          return;
        }
        out.append("[\n");
        String inner = prefix + indent;
        for (int i = 0; i < list.size(); i++) {
          out.append(inner);
          write(list.get(i), indent, inner, out);
          out.append(i < list.size() - 1 ? ",\n" : "\n");
        }
        out.append(prefix).append(']');
      }
      default ->
          throw new IllegalArgumentException(
              "cannot write a " + value.getClass().getSimpleName() + " as JSON");
    }
  }

  /** Go's encodeState.string with HTML escaping, as json.Marshal does by default. */
  static void quote(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '<', '>', '&', '\u2028', '\u2029' -> out.append(String.format("\\u%04x", (int) c));
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
