package dev.kubeboot.runner.manifest;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Turns manifest bytes into a plain tree: {@code Map<String, Object>} (insertion-ordered), {@code
 * List<Object>}, {@code String}, {@code Long}, {@code BigInteger}, {@code Double}, {@code Boolean},
 * {@code null}. Map entries whose value is null are dropped, as the API's JSON decoding treats them
 * as absent.
 *
 * <p>Untrusted input: only YAML's core types are built (no tags naming Java classes), aliases are
 * capped and the tree's size after alias expansion is bounded, so a "billion laughs" file fails
 * fast.
 */
final class ManifestParser {
  static final int MAX_BYTES = 10 * 1024 * 1024;
  // The YAML scanner's cost grows with the square of a line's length (a 2 MiB line takes seconds,
  // and files are read on the watch thread); no real Pod manifest has a line near this long.
  static final int MAX_LINE_CHARS = 256 * 1024;
  private static final int MAX_NESTING = 64;
  private static final int MAX_ALIASES = 50;
  // A large real manifest has a few thousand nodes; this leaves room and still stops alias bombs.
  private static final long MAX_EXPANDED_NODES = 1_000_000;

  private static void checkLineLengths(String text) {
    int line = 1;
    int start = 0;
    for (int i = 0; i <= text.length(); i++) {
      if (i == text.length() || text.charAt(i) == '\n') {
        if (i - start > MAX_LINE_CHARS) {
          throw new FieldException(
              "",
              "line "
                  + line
                  + " is "
                  + (i - start)
                  + " characters long, more than the limit of "
                  + MAX_LINE_CHARS
                  + "; no Pod manifest has such a line");
        }
        line++;
        start = i + 1;
      }
    }
  }

  /** The single document of {@code content}, a map; throws for anything else. */
  Map<String, Object> parse(byte[] content) {
    return parse(content, "a v1 Pod");
  }

  /** As {@link #parse(byte[])}; {@code expected} names the object for messages ("a v1 Pod"). */
  Map<String, Object> parse(byte[] content, String expected) {
    if (content.length > MAX_BYTES) {
      throw new FieldException(
          "",
          "file is "
              + content.length
              + " bytes, more than the limit of "
              + MAX_BYTES
              + " (10 MiB)");
    }
    String text = decodeUtf8(content);
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    checkLineLengths(text);
    String trimmed = text.strip();
    if (trimmed.isEmpty()) {
      throw new FieldException("", "file is empty; expected " + expected);
    }
    boolean json = trimmed.charAt(0) == '{';
    String format = json ? "JSON" : "YAML";
    Object document = loadSingleDocument(json ? jsonForYamlParser(text) : text, format, expected);
    checkExpandedSize(document);
    if (!(document instanceof Map<?, ?>)) {
      throw new FieldException(
          "",
          "the "
              + format
              + " document is "
              + describe(document)
              + ", expected "
              + expected
              + " (a mapping)");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> tree = (Map<String, Object>) normalize(document, "");
    return tree;
  }

  private static String decodeUtf8(byte[] content) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(content))
          .toString();
    } catch (CharacterCodingException e) {
      throw new FieldException("", "not UTF-8 text (binary file?); a manifest is YAML or JSON");
    }
  }

  private static Object loadSingleDocument(String text, String format, String expected) {
    Yaml yaml = newYaml();
    Object first = null;
    int documents = 0;
    try {
      for (Object document : yaml.loadAll(text)) {
        if (document == null) {
          continue; // an empty document ("---" alone) does not count
        }
        documents++;
        if (documents == 1) {
          first = document;
        } else {
          throw new FieldException(
              "",
              "holds more than one "
                  + format
                  + " document; expected exactly one: "
                  + expected
                  + " (split the file)");
        }
      }
    } catch (MarkedYAMLException e) {
      String where =
          e.getProblemMark() == null
              ? ""
              : " at line "
                  + (e.getProblemMark().getLine() + 1)
                  + ", column "
                  + (e.getProblemMark().getColumn() + 1);
      throw new FieldException("", "invalid " + format + where + ": " + oneLine(e.getProblem()));
    } catch (YAMLException e) {
      throw new FieldException("", "invalid " + format + ": " + oneLine(e.getMessage()));
    } catch (StackOverflowError e) {
      throw new FieldException("", "invalid " + format + ": nested too deeply");
    }
    if (documents == 0) {
      throw new FieldException(
          "", "file holds no " + format + " document (only comments?); expected " + expected);
    }
    return first;
  }

  /**
   * Adapts JSON to the YAML flow style that reads it: JSON allows tabs between tokens and the
   * escape {@code \/} inside strings, YAML 1.1 neither. A raw tab inside a JSON string is invalid
   * JSON and is left for the parser to refuse.
   */
  private static String jsonForYamlParser(String json) {
    if (json.indexOf('\t') < 0 && !json.contains("\\/")) {
      return json;
    }
    StringBuilder out = new StringBuilder(json.length());
    boolean inString = false;
    for (int i = 0; i < json.length(); i++) {
      char c = json.charAt(i);
      if (inString) {
        if (c == '\\' && i + 1 < json.length()) {
          char next = json.charAt(++i);
          if (next != '/') {
            out.append(c);
          }
          out.append(next);
          continue;
        }
        if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '\t') {
        c = ' ';
      }
      out.append(c);
    }
    return out.toString();
  }

  private static Yaml newYaml() {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setAllowRecursiveKeys(false);
    options.setMaxAliasesForCollections(MAX_ALIASES);
    options.setNestingDepthLimit(MAX_NESTING);
    options.setCodePointLimit(MAX_BYTES + 1024);
    DumperOptions dumperOptions = new DumperOptions();
    return new Yaml(
        new SafeConstructor(options),
        new Representer(dumperOptions),
        dumperOptions,
        options,
        new CoreResolver());
  }

  /** YAML 1.1's implicit types minus timestamps, which the API reads as strings. */
  private static final class CoreResolver extends Resolver {
    @Override
    protected void addImplicitResolvers() {
      addImplicitResolver(Tag.BOOL, BOOL, "yYnNtTfFoO");
      addImplicitResolver(Tag.INT, INT, "-+0123456789");
      addImplicitResolver(Tag.FLOAT, FLOAT, "-+0123456789.");
      addImplicitResolver(Tag.MERGE, MERGE, "<");
      addImplicitResolver(Tag.NULL, NULL, "~nN\0");
      addImplicitResolver(Tag.NULL, EMPTY, null);
    }
  }

  private static void checkExpandedSize(Object document) {
    long size = expandedSize(document, new IdentityHashMap<>());
    if (size > MAX_EXPANDED_NODES) {
      throw new FieldException(
          "",
          "too large after expanding YAML aliases (more than "
              + MAX_EXPANDED_NODES
              + " values); refusing an alias bomb");
    }
  }

  // Memoized by identity so a shared (aliased) node costs one visit; a node met again while its own
  // size is being computed is a recursive alias.
  private static long expandedSize(Object node, IdentityHashMap<Object, Long> memo) {
    if (!(node instanceof Map<?, ?>) && !(node instanceof List<?>)) {
      return 1;
    }
    Long known = memo.get(node);
    if (known != null) {
      if (known < 0) {
        throw new FieldException(
            "", "a YAML alias refers to the node that contains it (recursive alias)");
      }
      return known;
    }
    memo.put(node, -1L);
    long size = 1;
    if (node instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        size = saturatingAdd(size, expandedSize(e.getKey(), memo));
        size = saturatingAdd(size, expandedSize(e.getValue(), memo));
      }
    } else {
      for (Object item : (List<?>) node) {
        size = saturatingAdd(size, expandedSize(item, memo));
      }
    }
    memo.put(node, size);
    return size;
  }

  private static long saturatingAdd(long a, long b) {
    long sum = a + b;
    return sum < 0 || sum > MAX_EXPANDED_NODES * 2 ? MAX_EXPANDED_NODES * 2 : sum;
  }

  private static Object normalize(Object node, String path) {
    if (node instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!(e.getKey() instanceof String key)) {
          throw new FieldException(
              path.isEmpty() ? "(top level)" : path,
              "map key " + describe(e.getKey()) + " is not a string; quote it");
        }
        if (e.getValue() != null) {
          out.put(key, normalize(e.getValue(), Fields.child(path, key)));
        }
      }
      return out;
    }
    if (node instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      for (int i = 0; i < list.size(); i++) {
        out.add(normalize(list.get(i), path + "[" + i + "]"));
      }
      return out;
    }
    if (node == null || node instanceof String || node instanceof Boolean || node instanceof Long) {
      return node;
    }
    if (node instanceof Integer i) {
      return i.longValue();
    }
    if (node instanceof BigInteger b) {
      return b.bitLength() < 64 ? (Object) b.longValue() : b;
    }
    if (node instanceof Double d) {
      return d;
    }
    if (node instanceof Float f) {
      return f.doubleValue();
    }
    // SafeConstructor also builds byte[] (!!binary), sets and ordered maps: not part of the Pod
    // API.
    throw new FieldException(
        path.isEmpty() ? "(top level)" : path, "unsupported YAML value " + describe(node));
  }

  static String describe(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof Map<?, ?>) {
      return "a mapping";
    }
    if (value instanceof List<?>) {
      return "a list";
    }
    if (value instanceof String s) {
      return "the string \"" + abbreviate(s) + "\"";
    }
    if (value instanceof Boolean b) {
      return "the boolean " + b;
    }
    if (value instanceof Number n) {
      return "the number " + n;
    }
    if (value instanceof byte[]) {
      return "binary data (!!binary)";
    }
    if (value instanceof java.util.Set<?>) {
      return "a set (!!set)";
    }
    return "a " + value.getClass().getSimpleName();
  }

  private static String abbreviate(String s) {
    String one = oneLine(s);
    return one.length() <= 60 ? one : one.substring(0, 57) + "...";
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.strip().replaceAll("\\s*\\R\\s*", " ");
  }
}
