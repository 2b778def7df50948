package dev.kubeboot.runner.manifest;

import java.util.Locale;
import java.util.Optional;

/**
 * Which names in a manifest directory are manifests. The kubelet reads every name not starting with
 * '.', so backups ({@code x.yaml~}, {@code x.yaml.bak}) and vim's {@code 4913} probe become pods
 * (kubernetes#55596, #40331); kubeboot reads only {@code *.yaml}, {@code *.yml} and {@code *.json}.
 */
final class ManifestFileFilter {
  private ManifestFileFilter() {}

  /** Empty when {@code name} is read as a manifest, else why it is skipped. */
  static Optional<String> skipReason(String name) {
    if (name.startsWith(".")) {
      return Optional.of("its name starts with '.' (temporary and hidden files are never read)");
    }
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".yaml") || lower.endsWith(".yml") || lower.endsWith(".json")) {
      return Optional.empty();
    }
    return Optional.of(
        "its name does not end in .yaml, .yml or .json (backups and editor files are never read)");
  }
}
