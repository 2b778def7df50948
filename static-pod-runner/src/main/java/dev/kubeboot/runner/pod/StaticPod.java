package dev.kubeboot.runner.pod;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * One static pod, decoded and defaulted from one manifest file: what the runner acts on.
 *
 * @param key namespace and node-suffixed name
 * @param uid the config hash (32 hex chars), also {@code kubernetes.io/config.hash}; a new uid
 *     means a new pod: the old one is stopped before this one starts
 * @param source the manifest file it came from
 * @param labels the pod's labels
 * @param annotations the pod's annotations, including kubernetes.io/config.* set by the runner
 * @param spec what to run
 * @param object the whole defaulted Pod object as plain maps/lists/scalars (immutable), the form
 *     that is hashed and that a mirror pod copies
 */
public record StaticPod(
    PodKey key,
    String uid,
    Path source,
    Map<String, String> labels,
    Map<String, String> annotations,
    PodSpec spec,
    Map<String, Object> object) {
  public StaticPod {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(uid, "uid");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(spec, "spec");
    labels = Map.copyOf(labels);
    annotations = Map.copyOf(annotations);
    object = Objects.requireNonNull(object, "object");
  }
}
