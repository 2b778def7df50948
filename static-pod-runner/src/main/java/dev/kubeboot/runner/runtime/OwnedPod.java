package dev.kubeboot.runner.runtime;

import dev.kubeboot.runner.pod.PodKey;
import java.util.Objects;

/** A pod a runtime holds something for (a sandbox, a network attachment), by key and uid. */
public record OwnedPod(PodKey pod, String podUid) {
  public OwnedPod {
    Objects.requireNonNull(pod, "pod");
    Objects.requireNonNull(podUid, "podUid");
  }
}
