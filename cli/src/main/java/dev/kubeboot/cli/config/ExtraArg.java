package dev.kubeboot.cli.config;

import java.util.Objects;

/**
 * One extra command-line flag for a component, without leading dashes. v1beta4 writes these as a
 * list of {@code {name, value}} where names may repeat; v1beta3 maps are converted to a list sorted
 * by name.
 */
public record ExtraArg(String name, String value) {
  public ExtraArg {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
  }
}
