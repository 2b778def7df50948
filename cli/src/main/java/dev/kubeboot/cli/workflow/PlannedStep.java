package dev.kubeboot.cli.workflow;

/** A step chosen to run, with its full path ("certs/apiserver"). */
public record PlannedStep<C>(String path, Step<C> step) {
  /** The top-level phase name, shown as the "[certs]" prefix of progress lines. */
  public String topLevel() {
    int slash = path.indexOf('/');
    return slash < 0 ? path : path.substring(0, slash);
  }
}
