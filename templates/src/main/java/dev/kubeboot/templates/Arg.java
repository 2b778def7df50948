package dev.kubeboot.templates;

import java.util.Objects;

/** One command-line flag, {@code --name=value}; kubeadm v1beta4's {@code extraArgs} entry. */
public record Arg(String name, String value) {
  public Arg {
    Objects.requireNonNull(name, "extraArgs name");
    Objects.requireNonNull(value, "extraArgs value");
    if (name.isBlank()) {
      throw new InvalidInputException("extraArgs.name", name, "a flag name is required");
    }
  }

  public static Arg of(String name, String value) {
    return new Arg(name, value);
  }

  String flag() {
    return "--" + name + "=" + value;
  }
}
