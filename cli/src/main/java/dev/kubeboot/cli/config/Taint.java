package dev.kubeboot.cli.config;

import java.util.Objects;
import java.util.Optional;

/** A node taint ({@code nodeRegistration.taints[]}), set by the mark-control-plane phase. */
public record Taint(String key, Optional<String> value, String effect, Optional<String> timeAdded) {
  public Taint {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(effect, "effect");
    Objects.requireNonNull(timeAdded, "timeAdded");
  }
}
