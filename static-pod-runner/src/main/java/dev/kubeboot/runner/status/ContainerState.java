package dev.kubeboot.runner.status;

import java.time.Instant;
import java.util.Objects;

/** A container's state as the API reports it: exactly one of waiting, running, terminated. */
public sealed interface ContainerState {
  /**
   * Not running yet or between restarts.
   *
   * @param reason e.g. "ContainerCreating", "PodInitializing", "CrashLoopBackOff", "ErrImagePull"
   * @param message empty when there is nothing to add
   */
  record Waiting(String reason, String message) implements ContainerState {
    public Waiting {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(message, "message");
    }
  }

  record Running(Instant startedAt) implements ContainerState {
    public Running {
      Objects.requireNonNull(startedAt, "startedAt");
    }
  }

  /**
   * @param reason "Completed", "Error", "OOMKilled", "Unknown"
   */
  record Terminated(int exitCode, String reason, Instant startedAt, Instant finishedAt)
      implements ContainerState {
    public Terminated {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(startedAt, "startedAt");
      Objects.requireNonNull(finishedAt, "finishedAt");
    }
  }
}
