package dev.kubeboot.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Command-line flags in the form the control-plane manifests use: {@code --name=value}, or a bare
 * {@code --name} meaning {@code true}. A repeated flag keeps its last value, as pflag does. Flags a
 * stand-in does not act on are kept and ignored: real manifests carry many.
 */
record Flags(Map<String, String> values) {

  Flags {
    values = Map.copyOf(values);
  }

  static Flags parse(List<String> args) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String arg : args) {
      if (!arg.startsWith("--") || arg.length() == 2) {
        throw new StandInConfigException(
            "unexpected argument \"" + arg + "\": flags look like --name=value");
      }
      int eq = arg.indexOf('=');
      if (eq < 0) {
        values.put(arg.substring(2), "true");
      } else {
        values.put(arg.substring(2, eq), arg.substring(eq + 1));
      }
    }
    return new Flags(values);
  }

  Optional<String> get(String name) {
    return Optional.ofNullable(values.get(name)).filter(v -> !v.isEmpty());
  }

  String get(String name, String defaultValue) {
    return get(name).orElse(defaultValue);
  }

  boolean bool(String name, boolean defaultValue) {
    return get(name)
        .map(
            v ->
                switch (v) {
                  case "true", "1", "t", "T", "TRUE", "True" -> true;
                  case "false", "0", "f", "F", "FALSE", "False" -> false;
                  default ->
                      throw new StandInConfigException(
                          "--" + name + "=" + v + " is not a boolean: use true or false");
                })
        .orElse(defaultValue);
  }

  int port(String name, int defaultValue) {
    String text = get(name).orElse(null);
    if (text == null) {
      return defaultValue;
    }
    try {
      int port = Integer.parseInt(text);
      if (port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (NumberFormatException e) {
      throw new StandInConfigException(
          "--" + name + "=" + text + " is not a port: use a number from 0 to 65535", e);
    }
  }

  /** Comma-separated values, blanks dropped. */
  List<String> list(String name) {
    return get(name)
        .map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
        .orElse(List.of());
  }

  /** A flag naming a file that must exist and be readable now. */
  Path requiredFile(String name) {
    String text =
        get(name)
            .orElseThrow(
                () ->
                    new StandInConfigException(
                        "--" + name + " is required: pass --" + name + "=/path/to/file"));
    return existingFile(name, text);
  }

  Optional<Path> optionalFile(String name) {
    return get(name).map(text -> existingFile(name, text));
  }

  private static Path existingFile(String name, String text) {
    Path path = Path.of(text);
    if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
      throw new StandInConfigException(
          "--"
              + name
              + "="
              + text
              + ": no readable file there; create it (kubeboot init writes it) or fix the flag");
    }
    return path;
  }
}
