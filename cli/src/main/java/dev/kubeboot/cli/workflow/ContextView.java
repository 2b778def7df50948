package dev.kubeboot.cli.workflow;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Phases written for one run data used in a workflow of another: each step runs on the view of the
 * outer run data it needs, and prerequisites name the steps that provide them in the outer
 * workflow's paths. So a second workflow (join) reuses the first one's steps (init's certs,
 * kubeconfig, manifests) instead of copying them.
 */
public final class ContextView {
  private ContextView() {}

  /**
   * @param view the inner run data within the outer one
   * @param providedBy maps a prerequisite's providing path in the inner workflow to the outer one
   */
  public static <O, I> Phase<O> of(
      Phase<I> phase, Function<O, I> view, UnaryOperator<String> providedBy) {
    return switch (phase) {
      case Step<I> step -> {
        List<Prerequisite<O>> prerequisites = new ArrayList<>();
        for (Prerequisite<I> p : step.prerequisites()) {
          prerequisites.add(
              new Prerequisite<>(
                  p.description(),
                  providedBy.apply(p.providedBy()),
                  outer -> p.holds().test(view.apply(outer))));
        }
        PhaseAction<I> action = step.action();
        yield new Step<O>(
            step.name(), step.summary(), prerequisites, outer -> action.run(view.apply(outer)));
      }
      case Group<I> group -> {
        List<Phase<O>> children = new ArrayList<>();
        for (Phase<I> child : group.children()) {
          children.add(of(child, view, providedBy));
        }
        yield new Group<>(group.name(), group.summary(), children);
      }
    };
  }
}
