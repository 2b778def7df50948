package dev.kubeboot.cli.workflow;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/** A phase made of other phases, run in order; choosing a group chooses all its children. */
public record Group<C>(String name, String summary, List<Phase<C>> children) implements Phase<C> {
  public Group {
    Step.requireName(name);
    Objects.requireNonNull(summary, "summary");
    children = List.copyOf(children);
    var seen = new HashSet<String>();
    for (var child : children) {
      if (!seen.add(child.name())) {
        throw new IllegalArgumentException(
            "phase " + name + " has two children named \"" + child.name() + "\"");
      }
      if (child.name().equals("all")) {
        throw new IllegalArgumentException(
            "\"all\" is reserved: it selects every child of a group");
      }
    }
  }

  @SafeVarargs
  public static <C> Group<C> of(String name, String summary, Phase<C>... children) {
    return new Group<>(name, summary, List.of(children));
  }
}
