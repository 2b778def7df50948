package dev.kubeboot.runner.manifest;

import dev.kubeboot.runner.pod.PodKey;
import dev.kubeboot.runner.pod.StaticPod;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * kubeboot's rules for turning the per-file results of one listing into a snapshot:
 *
 * <ul>
 *   <li>a file that turns bad keeps its last good pod, and its error is reported, until it is fixed
 *       or deleted (the kubelet drops the pod at the next relist);
 *   <li>files that define the same pod (namespace + name) are all rejected with an error naming
 *       every one of them, and the pod that was last published under that key stays, if it came
 *       from one of them (the kubelet lets the last file win and flip-flops);
 *   <li>a deleted file's pod leaves the snapshot.
 * </ul>
 *
 * <p>Not thread-safe: owned by the source's watch thread.
 */
final class SnapshotAssembler {
  private static final Comparator<ManifestError> BY_FILE =
      Comparator.comparing((ManifestError e) -> e.file().toString())
          .thenComparing(ManifestError::message);

  private final Map<Path, StaticPod> lastGood = new HashMap<>();

  /**
   * @param good the files that decoded, with their pod
   * @param bad the files present that did not, with why
   * @param previous the snapshot last published
   */
  ManifestSnapshot assemble(
      Map<Path, StaticPod> good, Map<Path, ManifestError> bad, ManifestSnapshot previous) {
    lastGood.keySet().retainAll(union(good.keySet(), bad.keySet()));
    lastGood.putAll(good);

    Map<PodKey, List<StaticPod>> byKey = new TreeMap<>();
    new TreeMap<>(lastGood)
        .values()
        .forEach(pod -> byKey.computeIfAbsent(pod.key(), k -> new ArrayList<>()).add(pod));

    Map<PodKey, StaticPod> pods = new HashMap<>();
    List<ManifestError> errors = new ArrayList<>(bad.values());
    for (Map.Entry<PodKey, List<StaticPod>> entry : byKey.entrySet()) {
      List<StaticPod> claimants = entry.getValue();
      if (claimants.size() == 1) {
        pods.put(entry.getKey(), claimants.get(0));
        continue;
      }
      Set<Path> files = claimants.stream().map(StaticPod::source).collect(Collectors.toSet());
      StaticPod before = previous.pods().get(entry.getKey());
      boolean keep = before != null && files.contains(before.source());
      if (keep) {
        pods.put(entry.getKey(), before);
      }
      String names =
          claimants.stream()
              .map(p -> p.source().toString())
              .sorted()
              .collect(Collectors.joining(", "));
      String message =
          "pod "
              + entry.getKey()
              + " is defined by more than one file ("
              + names
              + "); all of them are rejected"
              + (keep
                  ? " and the pod from " + before.source() + " as it was before keeps running"
                  : " and none runs")
              + "; remove or rename the pod in all but one file";
      for (StaticPod claimant : claimants) {
        errors.add(new ManifestError(claimant.source(), claimant.source() + ": " + message));
      }
    }
    errors.sort(BY_FILE);
    return new ManifestSnapshot(pods, errors);
  }

  /** The UIDs of the pods this assembler still holds, so seen-times for them are kept. */
  Set<String> heldUids() {
    return lastGood.values().stream().map(StaticPod::uid).collect(Collectors.toSet());
  }

  private static Set<Path> union(Collection<Path> a, Collection<Path> b) {
    Set<Path> out = new HashSet<>(a);
    out.addAll(b);
    return out;
  }
}
