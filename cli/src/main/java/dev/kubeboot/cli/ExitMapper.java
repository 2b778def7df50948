package dev.kubeboot.cli;

import dev.kubeboot.cli.workflow.UnknownPhaseException;

/** Maps what a command threw to an exit code and a one-line message. */
final class ExitMapper {
  private ExitMapper() {}

  static int code(Throwable ex) {
    for (Throwable t = ex; t != null; t = t.getCause()) {
      if (t instanceof InterruptedException) {
        return ExitCodes.INTERRUPTED;
      }
    }
    if (ex instanceof UsageException || ex instanceof UnknownPhaseException) {
      return ExitCodes.USAGE;
    }
    return ExitCodes.FAILURE;
  }

  static String message(Throwable ex) {
    String message = ex.getMessage();
    return message == null || message.isBlank() ? ex.toString() : message;
  }
}
