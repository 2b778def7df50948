package dev.kubeboot.runner.pod;

/**
 * A name or value from a manifest or an engine label as an error message shows it: control
 * characters escaped as six-character Unicode escapes, so the message shows what is there and a
 * terminal reading it is not steered by it.
 */
public final class ShownText {
  private ShownText() {}

  public static String of(String s) {
    StringBuilder b = new StringBuilder();
    s.codePoints()
        .forEach(
            c -> {
              if (Character.isISOControl(c)) {
                b.append(String.format("\\u%04x", c));
              } else {
                b.appendCodePoint(c);
              }
            });
    return b.toString();
  }
}
