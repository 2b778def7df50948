package dev.kubeboot.cli.workflow;

/** The work of one step. */
@FunctionalInterface
public interface PhaseAction<C> {
  void run(C context) throws Exception;
}
