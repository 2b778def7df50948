package dev.kubeboot.runner.pod;

import java.util.Optional;

/** The container security settings runtimes honour. */
public record SecurityContext(
    boolean privileged, Optional<Long> runAsUser, Optional<Long> runAsGroup) {
  public static final SecurityContext NONE =
      new SecurityContext(false, Optional.empty(), Optional.empty());
}
