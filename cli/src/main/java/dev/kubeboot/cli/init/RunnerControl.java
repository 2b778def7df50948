package dev.kubeboot.cli.init;

/**
 * How init starts the static-pod runner and waits for the control plane. The dry run swaps in an
 * implementation that only says what it would do, so no phase looks at a dry-run flag.
 */
public interface RunnerControl {
  /** Starts a runner for the manifest directory unless one already serves it. */
  void start(InitContext context) throws Exception;

  /**
   * Waits until every control-plane component is healthy, or fails naming the ones that are not.
   */
  void waitForControlPlane(InitContext context) throws Exception;
}
