package dev.kubeboot.cli.day2;

import dev.kubeboot.templates.KubeadmRelease;
import dev.kubeboot.templates.KubernetesVersion;
import java.util.ArrayList;
import java.util.List;

/**
 * The versions an upgrade can go to without asking the internet: per minor release, the newest
 * patch kubeboot's release table knows, within the supported range and one minor at a time.
 */
final class UpgradeTargets {
  private UpgradeTargets() {}

  /** The newest known patch of {@code minor} (1.x), or empty outside the supported range. */
  static java.util.Optional<KubernetesVersion> newestKnown(int minor) {
    if (minor == KubernetesVersion.DEFAULT.minor()) {
      return java.util.Optional.of(KubernetesVersion.DEFAULT);
    }
    KubernetesVersion newest = null;
    for (KubeadmRelease row : KubeadmRelease.TABLE) {
      if (row.since().major() == 1 && row.since().minor() == minor) {
        newest = row.since();
      }
    }
    return java.util.Optional.ofNullable(newest);
  }

  /**
   * Newer versions {@code current} may go to: the newest known patch of its own minor, then of the
   * next minor; oldest first.
   */
  static List<KubernetesVersion> available(KubernetesVersion current) {
    var targets = new ArrayList<KubernetesVersion>();
    for (int minor = current.minor(); minor <= current.minor() + 1; minor++) {
      newestKnown(minor)
          .filter(v -> v.isSupported() && v.compareTo(current) > 0)
          .ifPresent(targets::add);
    }
    return targets;
  }
}
