package dev.kubeboot.testing;

/** kube-apiserver's {@code v1 Status} failure body, as JSON text. */
final class StatusJson {
  private StatusJson() {}

  static String failure(int code, String reason, String message) {
    return failure(code, reason, message, "{}");
  }

  /** A failure naming the object it concerns ({@code details.name/group/kind}, kind = plural). */
  static String failure(
      int code, String reason, String message, String name, String group, String kind) {
    StringBuilder details = new StringBuilder("{");
    if (!name.isEmpty()) {
      details.append("\"name\":").append(quote(name)).append(',');
    }
    if (!group.isEmpty()) {
      details.append("\"group\":").append(quote(group)).append(',');
    }
    details.append("\"kind\":").append(quote(kind)).append('}');
    return failure(code, reason, message, details.toString());
  }

  private static String failure(int code, String reason, String message, String detailsJson) {
    return "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
        + "\"message\":"
        + quote(message)
        + ",\"reason\":"
        + quote(reason)
        + ",\"details\":"
        + detailsJson
        + ",\"code\":"
        + code
        + "}\n";
  }

  static String quote(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
