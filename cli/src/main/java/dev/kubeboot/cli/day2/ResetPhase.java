package dev.kubeboot.cli.day2;

import dev.kubeboot.cli.UsageException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** The phases of reset, with kubeadm's names, as {@code --skip-phases} and skipPhases name them. */
enum ResetPhase {
  /** The question before anything is changed (kubeadm asks it in its preflight phase). */
  PREFLIGHT("preflight"),
  /** Leaving the etcd cluster: this node's member is removed by the others. */
  REMOVE_ETCD_MEMBER("remove-etcd-member"),
  /** Everything else: pods, runner, files, the etcd data directory, the Node object. */
  CLEANUP_NODE("cleanup-node");

  final String phaseName;

  ResetPhase(String phaseName) {
    this.phaseName = phaseName;
  }

  /**
   * The phases {@code names} name.
   *
   * @param origin where the names come from, for the error ("--skip-phases", "FILE: skipPhases")
   * @throws UsageException naming a name that is no phase of reset, and the phases there are
   */
  static Set<ResetPhase> parse(List<String> names, String origin) throws UsageException {
    Set<ResetPhase> phases = EnumSet.noneOf(ResetPhase.class);
    List<String> known = new ArrayList<>();
    for (ResetPhase phase : values()) {
      known.add(phase.phaseName);
    }
    for (String name : names) {
      String trimmed = name.strip();
      ResetPhase phase = null;
      for (ResetPhase candidate : values()) {
        if (candidate.phaseName.equals(trimmed)) {
          phase = candidate;
        }
      }
      if (phase == null) {
        throw new UsageException(
            origin
                + ": \""
                + name
                + "\" is not a phase of reset; the phases are "
                + String.join(", ", known));
      }
      phases.add(phase);
    }
    return phases;
  }
}
