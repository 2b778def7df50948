package dev.kubeboot.runner.runtime;

import java.time.Instant;

/**
 * How a container ended.
 *
 * @param exitCode the exit code; 128 + signal number when killed by a signal
 * @param reason "Completed" (code 0), "Error", "OOMKilled", or "Unknown" when the runtime lost
 *     track
 */
public record ExitStatus(int exitCode, String reason, Instant finishedAt) {
  public static ExitStatus of(int exitCode, Instant finishedAt) {
    return new ExitStatus(exitCode, exitCode == 0 ? "Completed" : "Error", finishedAt);
  }
}
