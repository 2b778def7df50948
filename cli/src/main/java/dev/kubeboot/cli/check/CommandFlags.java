package dev.kubeboot.cli.check;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@code --name=value} flags of a static pod's command, as kubeadm writes them. */
public record CommandFlags(Map<String, String> values) {
  public CommandFlags {
    values = Map.copyOf(values);
  }

  public static CommandFlags of(List<String> command) {
    var flags = new LinkedHashMap<String, String>();
    for (String arg : command) {
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 2) {
        flags.put(arg.substring(2, eq), arg.substring(eq + 1));
      }
    }
    return new CommandFlags(flags);
  }

  public Optional<String> get(String name) {
    return Optional.ofNullable(values.get(name)).filter(v -> !v.isEmpty());
  }

  public String getOrDefault(String name, String fallback) {
    return get(name).orElse(fallback);
  }
}
