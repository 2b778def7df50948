package dev.kubeboot.runner.mirror;

/** The API server refused or failed a mirror-pod or Node operation; the syncer retries it. */
final class MirrorSyncException extends RuntimeException {
  MirrorSyncException(String message) {
    super(message);
  }

  MirrorSyncException(String message, Throwable cause) {
    super(message, cause);
  }
}
