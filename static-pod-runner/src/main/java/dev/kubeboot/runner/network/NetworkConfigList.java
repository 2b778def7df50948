package dev.kubeboot.runner.network;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A CNI network configuration list (spec 0.3.0 to 1.1.0): a name, a version and the plugins to run
 * in order. A single-plugin {@code .conf} file is read as a list of one, as libcni does.
 *
 * @param plugins each plugin's own configuration, as read (unmodifiable maps)
 * @param source the file it came from
 */
public record NetworkConfigList(
    String name, String cniVersion, List<Map<String, Object>> plugins, Path source) {
  /** The spec versions whose results kubeboot reads; CHECK exists from 0.4.0 on. */
  public static final Set<String> VERSIONS = Set.of("0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0");

  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.\\-]*");
  private static final Pattern TYPE = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.\\-]*");

  public NetworkConfigList {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(cniVersion, "cniVersion");
    plugins = plugins.stream().map(Collections::unmodifiableMap).toList();
    Objects.requireNonNull(source, "source");
  }

  /**
   * Reads a {@code .conflist} (or a single-plugin {@code .conf}/{@code .json}) file's content.
   *
   * @throws CniConfigException not JSON, or a required field missing or wrong, naming the field
   */
  public static NetworkConfigList parse(Path file, String text) throws CniConfigException {
    Map<String, Object> root;
    try {
      root = JSON.std.mapFrom(text);
    } catch (IOException | RuntimeException e) {
      throw new CniConfigException(file, "", "not a JSON object: " + firstLine(e.getMessage()));
    }
    if (root == null) {
      throw new CniConfigException(file, "", "empty: write a JSON object");
    }
    boolean list = root.containsKey("plugins");
    String version = string(file, root, "cniVersion");
    if (!VERSIONS.contains(version)) {
      throw new CniConfigException(
          file,
          "cniVersion",
          (version.isEmpty() ? "missing" : "\"" + version + "\" is not supported")
              + ": kubeboot speaks CNI "
              + String.join(", ", VERSIONS.stream().sorted().toList()));
    }
    String name = string(file, root, "name");
    if (name.isEmpty()) {
      throw new CniConfigException(file, "name", "missing: every network needs a name");
    }
    if (!NAME.matcher(name).matches()) {
      throw new CniConfigException(
          file, "name", "\"" + name + "\" may hold only letters, digits, '_', '.' and '-'");
    }
    List<Map<String, Object>> plugins = new ArrayList<>();
    if (list) {
      if (!(root.get("plugins") instanceof List<?> raw) || raw.isEmpty()) {
        throw new CniConfigException(
            file, "plugins", "must be a non-empty list of plugin configurations");
      }
      for (int i = 0; i < raw.size(); i++) {
        plugins.add(plugin(file, "plugins[" + i + "]", raw.get(i)));
      }
    } else {
      Map<String, Object> single = new LinkedHashMap<>(root);
      single.remove("cniVersion");
      single.remove("name");
      plugins.add(plugin(file, "", single));
    }
    return new NetworkConfigList(name, version, plugins, file);
  }

  private static Map<String, Object> plugin(Path file, String path, Object raw)
      throws CniConfigException {
    if (!(raw instanceof Map<?, ?> map)) {
      throw new CniConfigException(file, path, "must be a JSON object");
    }
    Map<String, Object> plugin = new LinkedHashMap<>();
    map.forEach((k, v) -> plugin.put(String.valueOf(k), v));
    String field = path.isEmpty() ? "type" : path + ".type";
    if (!(plugin.get("type") instanceof String type) || type.isEmpty()) {
      throw new CniConfigException(
          file,
          field,
          "missing: every plugin names its binary in \"type\" (bridge, host-local, portmap, ...)");
    }
    if (!TYPE.matcher(type).matches()) {
      throw new CniConfigException(
          file, field, "\"" + type + "\" is not a plugin binary name (no '/' or spaces)");
    }
    if (plugin.containsKey("capabilities") && !(plugin.get("capabilities") instanceof Map)) {
      throw new CniConfigException(
          file,
          path.isEmpty() ? "capabilities" : path + ".capabilities",
          "must be an object such as {\"portMappings\": true}");
    }
    return plugin;
  }

  private static String string(Path file, Map<String, Object> root, String key)
      throws CniConfigException {
    Object value = root.get(key);
    if (value == null) {
      return "";
    }
    if (!(value instanceof String s)) {
      throw new CniConfigException(file, key, "must be a string, found " + value);
    }
    return s;
  }

  private static String firstLine(String message) {
    String m = Objects.requireNonNullElse(message, "");
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  /** The plugin types in order ("bridge", "portmap"). */
  public List<String> types() {
    return plugins.stream().map(p -> (String) p.get("type")).toList();
  }

  /**
   * The plugin binaries running this network takes: each plugin's type and its IPAM plugin's, in
   * order, without repeats.
   */
  public List<String> binaries() {
    List<String> names = new ArrayList<>();
    for (Map<String, Object> p : plugins) {
      names.add((String) p.get("type"));
      if (p.get("ipam") instanceof Map<?, ?> ipam && ipam.get("type") instanceof String t) {
        names.add(t);
      }
    }
    return names.stream().distinct().toList();
  }

  /** Whether CHECK is defined for this version (0.4.0 and later). */
  public boolean supportsCheck() {
    return !cniVersion.startsWith("0.3.");
  }

  /** Whether {@code plugin} declares the capability {@code name} ("portMappings"). */
  static boolean hasCapability(Map<String, Object> plugin, String name) {
    return plugin.get("capabilities") instanceof Map<?, ?> caps
        && Boolean.TRUE.equals(caps.get(name));
  }
}
