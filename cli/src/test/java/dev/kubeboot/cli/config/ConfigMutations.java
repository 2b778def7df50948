package dev.kubeboot.cli.config;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Random edits of config files for the readers' property tests: a few spans of a seed file replaced
 * by YAML tokens that tend to break readers, or by short random strings.
 */
final class ConfigMutations {
  /** Replace {@code length} characters at {@code position} (wrapped) by {@code insert}. */
  record Mutation(int seed, int position, int length, String insert) {}

  /** YAML syntax and values that tend to break readers, for every reader's property test. */
  static final List<String> YAML_TOKENS =
      List.of(
          ":",
          "- ",
          "  ",
          "\n",
          "[",
          "]",
          "{",
          "}",
          "\"",
          "&a ",
          "*a",
          "---\n",
          "null",
          "~",
          "true",
          "-1",
          "4m",
          "#",
          "\t",
          "kind: X\n");

  private ConfigMutations() {}

  /**
   * One to four edits; the first one's {@code seed} picks which of {@code seeds} is edited. Inserts
   * are {@link #YAML_TOKENS}, {@code tokens} (the reader's own) or short random strings.
   */
  static Arbitrary<List<Mutation>> of(int seeds, List<String> tokens) {
    List<String> all = new ArrayList<>(YAML_TOKENS);
    all.addAll(tokens);
    Arbitrary<Mutation> one =
        Combinators.combine(
                Arbitraries.integers().between(0, seeds - 1),
                Arbitraries.integers().between(0, 1_000_000),
                Arbitraries.integers().between(0, 12),
                Arbitraries.oneOf(Arbitraries.of(all), Arbitraries.strings().ofMaxLength(4)))
            .as(Mutation::new);
    return one.list().ofMinSize(1).ofMaxSize(4);
  }

  /** The seed the first edit picks, with every edit applied in turn. */
  static String apply(List<String> seeds, List<Mutation> mutations) {
    String text = seeds.get(mutations.get(0).seed());
    for (Mutation m : mutations) {
      int at = m.position() % (text.length() + 1);
      int end = Math.min(text.length(), at + m.length());
      text = text.substring(0, at) + m.insert() + text.substring(end);
    }
    return text;
  }
}
