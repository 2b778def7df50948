package dev.kubeboot.runner.manifest;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Typed reads from a parsed manifest tree. Each takes the object, the object's own field path and a
 * key, and throws a {@link FieldException} naming the full path when the value has the wrong type.
 */
final class Fields {
  private Fields() {}

  static String child(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  static String index(String path, int i) {
    return path + "[" + i + "]";
  }

  static Optional<Map<String, Object>> optMap(Map<String, Object> obj, String path, String key) {
    Object v = obj.get(key);
    if (v == null) {
      return Optional.empty();
    }
    return Optional.of(asMap(v, child(path, key)));
  }

  static Map<String, Object> map(Map<String, Object> obj, String path, String key) {
    return optMap(obj, path, key).orElseGet(Map::of);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> asMap(Object v, String field) {
    if (v instanceof Map<?, ?> m) {
      return (Map<String, Object>) m;
    }
    throw wrongType(field, "a mapping", v);
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Map<String, Object> obj, String path, String key) {
    Object v = obj.get(key);
    if (v == null) {
      return List.of();
    }
    if (v instanceof List<?> l) {
      return (List<Object>) l;
    }
    throw wrongType(child(path, key), "a list", v);
  }

  /** The list's items, each a mapping. */
  static List<Map<String, Object>> mapList(Map<String, Object> obj, String path, String key) {
    List<Object> raw = list(obj, path, key);
    List<Map<String, Object>> out = new ArrayList<>(raw.size());
    for (int i = 0; i < raw.size(); i++) {
      out.add(asMap(raw.get(i), index(child(path, key), i)));
    }
    return out;
  }

  static Optional<String> optString(Map<String, Object> obj, String path, String key) {
    return optScalar(obj, path, key, String.class, "a string");
  }

  static String string(Map<String, Object> obj, String path, String key) {
    return optString(obj, path, key).orElse("");
  }

  static String requiredString(Map<String, Object> obj, String path, String key) {
    String s = string(obj, path, key);
    if (s.isEmpty()) {
      throw new FieldException(child(path, key), "required and must not be empty");
    }
    return s;
  }

  static Optional<Boolean> optBool(Map<String, Object> obj, String path, String key) {
    return optScalar(obj, path, key, Boolean.class, "true or false");
  }

  /** The field as a {@code type} as YAML gave it; {@code expected} names the type in errors. */
  private static <T> Optional<T> optScalar(
      Map<String, Object> obj, String path, String key, Class<T> type, String expected) {
    Object v = obj.get(key);
    if (v == null) {
      return Optional.empty();
    }
    if (type.isInstance(v)) {
      return Optional.of(type.cast(v));
    }
    throw wrongType(child(path, key), expected, v);
  }

  static boolean bool(Map<String, Object> obj, String path, String key) {
    return optBool(obj, path, key).orElse(false);
  }

  /** An integer in [min, max]; floats, strings and out-of-range numbers are refused. */
  static Optional<Long> optLong(
      Map<String, Object> obj, String path, String key, long min, long max) {
    Object v = obj.get(key);
    if (v == null) {
      return Optional.empty();
    }
    String field = child(path, key);
    if (v instanceof Long l) {
      if (l < min || l > max) {
        throw new FieldException(field, "must be between " + min + " and " + max + ", got " + l);
      }
      return Optional.of(l);
    }
    if (v instanceof BigInteger b) {
      throw new FieldException(field, "must be between " + min + " and " + max + ", got " + b);
    }
    throw wrongType(field, "an integer", v);
  }

  static Optional<Integer> optInt(
      Map<String, Object> obj, String path, String key, int min, int max) {
    return optLong(obj, path, key, min, max).map(Long::intValue);
  }

  static List<String> stringList(Map<String, Object> obj, String path, String key) {
    List<Object> raw = list(obj, path, key);
    List<String> out = new ArrayList<>(raw.size());
    for (int i = 0; i < raw.size(); i++) {
      Object v = raw.get(i);
      if (!(v instanceof String s)) {
        throw wrongType(index(child(path, key), i), "a string (quote numbers and booleans)", v);
      }
      out.add(s);
    }
    return out;
  }

  static Map<String, String> stringMap(Map<String, Object> obj, String path, String key) {
    Map<String, Object> raw = map(obj, path, key);
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : raw.entrySet()) {
      if (!(e.getValue() instanceof String s)) {
        throw wrongType(
            child(child(path, key), e.getKey()),
            "a string (quote numbers and booleans)",
            e.getValue());
      }
      out.put(e.getKey(), s);
    }
    return out;
  }

  /** A Kubernetes quantity ("250m", "100Mi" or a bare number) as written. */
  static Map<String, String> quantityMap(Map<String, Object> obj, String path, String key) {
    Map<String, Object> raw = map(obj, path, key);
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : raw.entrySet()) {
      String field = child(child(path, key), e.getKey());
      String q =
          switch (e.getValue()) {
            case String s -> s;
            case Long l -> Long.toString(l);
            case BigInteger b -> b.toString();
            case Double d -> java.math.BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
            default ->
                throw wrongType(field, "a quantity such as \"250m\" or \"100Mi\"", e.getValue());
          };
      if (!Names.isQuantity(q)) {
        throw new FieldException(
            field, "\"" + q + "\" is not a quantity (e.g. 250m, 1, 100Mi, 1G)");
      }
      out.put(e.getKey(), q);
    }
    return out;
  }

  static FieldException wrongType(String field, String expected, Object actual) {
    return new FieldException(
        field, "must be " + expected + ", got " + ManifestParser.describe(actual));
  }

  static FieldException notOneOf(String field, String value, List<String> allowed) {
    return new FieldException(
        field, "\"" + value + "\" is not one of " + String.join(", ", allowed));
  }
}
