package dev.kubeboot.cli.output;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;

/**
 * Writes JSON as Go's {@code json.MarshalIndent} does, so that kubeadm's JSON outputs come out byte
 * for byte: {@code "key": value} with one space, the given indent per level, {@code []} and {@code
 * {}} for empty containers, and Go's string escaping ({@code <}, {@code >}, {@code &}, U+2028 and
 * U+2029 as six-character escapes with lowercase hex digits, control characters as their short
 * escape or the same six-character form, the rest as it is). Keys are written in map order: give
 * ordered maps. Values are maps, lists, strings, numbers, booleans or null (a null map value is
 * written, as Go writes a nil pointer field without omitempty).
 *
 * <p>Jackson (jackson-jr over jackson-core) does the writing and the escaping; only the layout and
 * the escape table are Go's.
 */
public final class GoJson {
  private static final JsonFactory FACTORY =
      new JsonFactoryBuilder()
          .characterEscapes(new GoEscapes())
          .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
          .build();
  private static final JSON WRITER =
      JSON.builder(FACTORY).enable(JSON.Feature.WRITE_NULL_PROPERTIES).build();

  private GoJson() {}

  /** The document followed by a newline, as kubeadm's printers end it. */
  public static String marshalIndent(Object value, String indent) {
    DefaultIndenter lines = new DefaultIndenter(indent, "\n");
    DefaultPrettyPrinter layout =
        new DefaultPrettyPrinter(
                Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                    .withObjectEmptySeparator("")
                    .withArrayEmptySeparator(""))
            .withObjectIndenter(lines)
            .withArrayIndenter(lines);
    try {
      return WRITER.with(layout).asString(value) + "\n";
    } catch (IOException e) {
      // Only a value of a type JSON has no form for gets here: writing to a string does no I/O.
      throw new IllegalArgumentException(
          "cannot write " + value + " as JSON: " + e.getMessage(), e);
    }
  }

  /**
   * Go's encodeState.string with HTML escaping, as json.Marshal does by default: Jackson's own
   * escapes for the quote, the backslash and the control characters (short forms for backspace,
   * tab, newline, form feed and carriage return, six-character ones with lowercase hex for the
   * others), and the HTML characters and line separators Go escapes besides.
   */
  private static final class GoEscapes extends CharacterEscapes {
    private static final long serialVersionUID = 1L;
    private final int[] ascii;

    GoEscapes() {
      ascii = CharacterEscapes.standardAsciiEscapesForJSON();
      for (char c : new char[] {'<', '>', '&'}) {
        ascii[c] = CharacterEscapes.ESCAPE_STANDARD;
      }
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return ascii;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      return ch == '\u2028' || ch == '\u2029'
          ? new SerializedString(String.format("\\u%04x", ch))
          : null;
    }
  }
}
