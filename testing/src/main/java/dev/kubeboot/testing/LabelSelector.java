package dev.kubeboot.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code labelSelector} query parameter as kube-apiserver reads it: comma-separated requirements
 * {@code key}, {@code !key}, {@code key=value} ({@code ==}), {@code key!=value}, {@code key in
 * (a,b)} and {@code key notin (a,b)}; all must hold.
 */
record LabelSelector(List<Requirement> requirements) {
  /** One requirement of a selector. */
  record Requirement(String key, Operator operator, Set<String> values) {
    Requirement {
      values = Set.copyOf(values);
    }

    boolean matches(Map<String, String> labels) {
      String value = labels.get(key);
      return switch (operator) {
        case EXISTS -> value != null;
        case DOES_NOT_EXIST -> value == null;
        case EQUALS, IN -> value != null && values.contains(value);
        case NOT_EQUALS, NOT_IN -> value == null || !values.contains(value);
      };
    }
  }

  enum Operator {
    EXISTS,
    DOES_NOT_EXIST,
    EQUALS,
    NOT_EQUALS,
    IN,
    NOT_IN
  }

  static final LabelSelector EVERYTHING = new LabelSelector(List.of());

  private static final Pattern SET =
      Pattern.compile("([^\\s!=(),]+)\\s+(in|notin)\\s*\\(([^()]*)\\)");
  private static final Pattern KEY =
      Pattern.compile(
          "([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?"
              + "[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
  private static final Pattern VALUE =
      Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?");

  LabelSelector {
    requirements = List.copyOf(requirements);
  }

  /**
   * Parses a selector; blank selects everything.
   *
   * @throws ApiException 400 naming the requirement that does not parse
   */
  static LabelSelector parse(String text) {
    if (text == null || text.isBlank()) {
      return EVERYTHING;
    }
    List<Requirement> requirements = new ArrayList<>();
    for (String part : splitOutsideParentheses(text)) {
      String requirement = part.trim();
      requirements.add(requirement(requirement, text));
    }
    return new LabelSelector(requirements);
  }

  private static Requirement requirement(String text, String selector) {
    Matcher set = SET.matcher(text);
    Requirement parsed;
    if (set.matches()) {
      List<String> values = new ArrayList<>();
      for (String v : set.group(3).split(",", -1)) {
        values.add(v.trim());
      }
      parsed =
          new Requirement(
              set.group(1),
              set.group(2).equals("in") ? Operator.IN : Operator.NOT_IN,
              Set.copyOf(values));
    } else if (text.startsWith("!")) {
      parsed = new Requirement(text.substring(1).trim(), Operator.DOES_NOT_EXIST, Set.of());
    } else if (text.contains("!=")) {
      int at = text.indexOf("!=");
      parsed =
          new Requirement(
              text.substring(0, at).trim(),
              Operator.NOT_EQUALS,
              Set.of(text.substring(at + 2).trim()));
    } else if (text.contains("=")) {
      int at = text.indexOf('=');
      int valueAt = text.startsWith("==", at) ? at + 2 : at + 1;
      parsed =
          new Requirement(
              text.substring(0, at).trim(),
              Operator.EQUALS,
              Set.of(text.substring(valueAt).trim()));
    } else {
      parsed = new Requirement(text, Operator.EXISTS, Set.of());
    }
    boolean valid =
        parsed.key().length() <= 316
            && KEY.matcher(parsed.key()).matches()
            && parsed.values().stream()
                .allMatch(v -> v.length() <= 63 && VALUE.matcher(v).matches());
    if (!valid) {
      throw ApiException.badRequest(
          "unable to parse requirement: \"" + text + "\" in labelSelector \"" + selector + "\"");
    }
    return parsed;
  }

  private static List<String> splitOutsideParentheses(String text) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == ',' && depth == 0) {
        parts.add(text.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(text.substring(start));
    return parts;
  }

  boolean matches(Map<String, String> labels) {
    return requirements.stream().allMatch(r -> r.matches(labels));
  }
}
