package dev.kubeboot.runner;

import java.util.List;

/**
 * What {@code kubeboot runner} does, for tests of this module, which has no cli: read the flags,
 * start the runner, keep running until killed.
 */
public final class DetachedRunnerMain {
  private DetachedRunnerMain() {}

  public static void main(String[] args) throws Exception {
    RunnerSpec spec =
        RunnerSpec.fromArgs(
            List.of(args),
            new RunnerSpec.HostDefaults() {
              @Override
              public String nodeName() {
                return "n1";
              }

              @Override
              public String nodeIP() {
                return "127.0.0.1";
              }
            });
    StaticPodRunner runner = Runners.start(spec);
    Runtime.getRuntime().addShutdownHook(new Thread(runner::close));
    Thread.currentThread().join();
  }
}
