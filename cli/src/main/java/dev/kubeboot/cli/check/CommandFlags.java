package dev.kubeboot.cli.check;

import dev.kubeboot.runner.pod.Container;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The long flags of a control-plane component's command line, read as the component's own flag
 * parser (pflag) reads them: {@code --name=value}; {@code --name value}, the value being the next
 * word when that is no flag; a bare {@code --name} is a boolean set to {@code true}; the last of a
 * repeated flag wins; {@code --} ends the flags. kubeadm writes only {@code --name=value}, but a
 * hand-edited manifest may use the other forms, and the component honours them. Words that are no
 * long flag (the binary, shorthands like {@code -v=2}) are passed over.
 */
public record CommandFlags(Map<String, String> values) {
  public CommandFlags {
    values = Map.copyOf(values);
  }

  /** The flags of what the container runs: its command followed by its args. */
  public static CommandFlags of(Container container) {
    return of(Stream.concat(container.command().stream(), container.args().stream()).toList());
  }

  public static CommandFlags of(List<String> argv) {
    var flags = new LinkedHashMap<String, String>();
    for (int i = 0; i < argv.size(); i++) {
      String arg = argv.get(i);
      if (arg.equals("--")) {
        break;
      }
      if (!arg.startsWith("--")) {
        continue;
      }
      int eq = arg.indexOf('=');
      if (eq > 2) {
        flags.put(arg.substring(2, eq), arg.substring(eq + 1));
      } else if (eq < 0) {
        boolean valueFollows = i + 1 < argv.size() && !argv.get(i + 1).startsWith("-");
        flags.put(arg.substring(2), valueFollows ? argv.get(++i) : "true");
      }
    }
    return new CommandFlags(flags);
  }

  /** The flag's value; empty when it is not given or given empty. */
  public Optional<String> get(String name) {
    return Optional.ofNullable(values.get(name)).filter(v -> !v.isEmpty());
  }

  public String getOrDefault(String name, String fallback) {
    return get(name).orElse(fallback);
  }
}
