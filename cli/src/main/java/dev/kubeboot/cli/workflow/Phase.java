package dev.kubeboot.cli.workflow;

import java.util.List;

/**
 * A node of a workflow: a {@link Step} that does one thing, or a {@link Group} of phases. Knows
 * nothing of what the steps do; the slash-joined path of names ("certs/apiserver") is a phase's one
 * identity in flags, sub-commands and errors.
 *
 * @param <C> the typed run data every step works on
 */
public sealed interface Phase<C> permits Step, Group {
  /** kebab-case name, unique among its siblings; equals the CLI sub-command name. */
  String name();

  /** One line for help output. */
  String summary();

  /** Children of a group; empty for a step. */
  default List<Phase<C>> children() {
    return List.of();
  }
}
