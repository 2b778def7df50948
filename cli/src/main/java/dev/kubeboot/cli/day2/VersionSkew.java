package dev.kubeboot.cli.day2;

import dev.kubeboot.templates.KubernetesVersion;
import java.util.Optional;

/**
 * kubeadm's version skew policy for a control-plane upgrade, as far as it concerns a tool that
 * renders every release from v1.31 to v1.34 as that release's kubeadm would: one minor release at a
 * time, no downgrade unless forced and never by more than one minor. The refusal names the rule.
 */
final class VersionSkew {
  /** The rules, by the name a refusal quotes. */
  enum Rule {
    SKIPS_A_MINOR("one minor release at a time"),
    DOWNGRADE("no downgrade without --force"),
    DOWNGRADE_BY_MORE_THAN_ONE_MINOR("no downgrade by more than one minor release");

    private final String text;

    Rule(String text) {
      this.text = text;
    }

    String text() {
      return text;
    }
  }

  /** A refused upgrade: the rule it breaks and what to do. */
  record Refusal(Rule rule, String message) {}

  private VersionSkew() {}

  /**
   * The rule an upgrade from {@code current} to {@code target} breaks, if any; both must be
   * supported versions.
   *
   * @param force --force: a downgrade of at most one minor release is allowed
   */
  static Optional<Refusal> check(
      KubernetesVersion current, KubernetesVersion target, boolean force) {
    if (target.major() == current.major() && target.minor() > current.minor() + 1) {
      return Optional.of(
          new Refusal(
              Rule.SKIPS_A_MINOR,
              "version skew policy (%s): cannot upgrade from %s to %s; upgrade to v%d.%d first, then on one minor at a time"
                  .formatted(
                      Rule.SKIPS_A_MINOR.text(),
                      current,
                      target,
                      current.major(),
                      current.minor() + 1)));
    }
    if (target.compareTo(current) < 0) {
      if (target.minor() < current.minor() - 1) {
        return Optional.of(
            new Refusal(
                Rule.DOWNGRADE_BY_MORE_THAN_ONE_MINOR,
                "version skew policy (%s): cannot go from %s down to %s, not even with --force"
                    .formatted(Rule.DOWNGRADE_BY_MORE_THAN_ONE_MINOR.text(), current, target)));
      }
      if (!force) {
        return Optional.of(
            new Refusal(
                Rule.DOWNGRADE,
                "version skew policy (%s): %s is older than the cluster's %s; add --force to downgrade anyway"
                    .formatted(Rule.DOWNGRADE.text(), target, current)));
      }
    }
    return Optional.empty();
  }
}
