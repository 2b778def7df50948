package dev.kubeboot.runner.runtime;

import dev.kubeboot.runner.pod.PodKey;
import java.util.Objects;

/**
 * Which log {@code kubeboot logs} asks a runtime for.
 *
 * @param podUid the pod's uid: logs of an earlier pod under the same name are not shown
 * @param previous the container instance before its last restart, as {@code kubectl logs -p}
 * @param follow keep copying as the container writes, until the thread is interrupted (or, for an
 *     engine that knows, the container stops)
 */
public record LogQuery(
    PodKey pod, String podUid, String container, boolean previous, boolean follow) {
  public LogQuery {
    Objects.requireNonNull(pod, "pod");
    Objects.requireNonNull(podUid, "podUid");
    Objects.requireNonNull(container, "container");
  }

  /** "previous container app of pod kube-system/etcd-n1", for messages. */
  String describe() {
    return (previous ? "previous " : "") + "container " + container + " of pod " + pod;
  }
}
