package dev.kubeboot.runner.manifest;

import dev.kubeboot.runner.pod.PodKey;
import dev.kubeboot.runner.pod.StaticPod;
import java.util.List;
import java.util.Map;

/**
 * The desired pods at one moment, and what was wrong with the files that did not yield one.
 *
 * @param pods what should run; a pod whose file turned bad stays here with its last good spec
 * @param errors one per rejected or skipped-with-error file, sorted by file
 */
public record ManifestSnapshot(Map<PodKey, StaticPod> pods, List<ManifestError> errors) {
  public ManifestSnapshot {
    pods = Map.copyOf(pods);
    errors = List.copyOf(errors);
  }
}
