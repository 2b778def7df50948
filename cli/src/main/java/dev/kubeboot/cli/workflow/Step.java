package dev.kubeboot.cli.workflow;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A phase that does one thing.
 *
 * @param prerequisites what must hold before any step of a run starts; checked all at once
 * @param action what it does
 */
public record Step<C>(
    String name, String summary, List<Prerequisite<C>> prerequisites, PhaseAction<C> action)
    implements Phase<C> {
  static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  public Step {
    requireName(name);
    Objects.requireNonNull(summary, "summary");
    prerequisites = List.copyOf(prerequisites);
    Objects.requireNonNull(action, "action");
  }

  public static <C> Step<C> of(String name, String summary, PhaseAction<C> action) {
    return new Step<>(name, summary, List.of(), action);
  }

  public Step<C> requiring(Prerequisite<C> prerequisite) {
    var all = new java.util.ArrayList<>(prerequisites);
    all.add(prerequisite);
    return new Step<>(name, summary, all, action);
  }

  static void requireName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("phase name must be kebab-case, got \"" + name + "\"");
    }
  }
}
