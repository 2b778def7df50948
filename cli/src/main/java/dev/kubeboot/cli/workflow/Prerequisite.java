package dev.kubeboot.cli.workflow;

import java.util.Objects;
import java.util.function.Predicate;

/**
 * Something a step needs before it can start, such as a CA on disk.
 *
 * @param description what is missing, as the user should read it ("the cluster CA (pki/ca.crt)")
 * @param providedBy the path of the step that makes it; when that step runs earlier in the same run
 *     the prerequisite counts as met
 * @param holds whether it already holds without that step
 */
public record Prerequisite<C>(String description, String providedBy, Predicate<C> holds) {
  public Prerequisite {
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(providedBy, "providedBy");
    Objects.requireNonNull(holds, "holds");
  }
}
