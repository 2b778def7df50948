package dev.kubeboot.runner.network;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The result of a network's ADD (spec 0.3.0 to 1.1.0): the interfaces made and the IPs given. The
 * whole object is kept as read, since CHECK and DEL hand it back to the plugins as {@code
 * prevResult}.
 *
 * @param raw the result object as the last plugin printed it (unmodifiable)
 */
public record CniResult(Map<String, Object> raw) {
  public CniResult {
    raw = Collections.unmodifiableMap(Objects.requireNonNull(raw, "raw"));
  }

  /**
   * Reads a plugin's ADD output.
   *
   * @throws CniException not a result object, or an IP entry without a valid address
   */
  public static CniResult parse(String type, String json) throws CniException {
    Map<String, Object> map;
    try {
      map = JSON.std.mapFrom(json);
    } catch (IOException | RuntimeException e) {
      throw new CniException(
          7, "CNI plugin " + type + " printed no result object: " + abbreviate(json), e);
    }
    if (map == null) {
      throw new CniException(7, "CNI plugin " + type + " printed no result for ADD");
    }
    CniResult result = new CniResult(map);
    for (Object ip : list(map.get("ips"))) {
      if (!(ip instanceof Map<?, ?> m)
          || !(m.get("address") instanceof String a)
          || a.indexOf('/') < 0
          || Cidr.ip(a.substring(0, a.indexOf('/'))).isEmpty()) {
        throw new CniException(
            7, "CNI plugin " + type + " printed an IP without a valid address: " + ip);
      }
    }
    return result;
  }

  /**
   * The pod's IPs: those on the interface named {@code ifName} inside the container (all of them
   * when the result does not say which interface an IP is on), IPv4 first.
   */
  public List<String> podIPs(String ifName) {
    List<Object> interfaces = list(raw.get("interfaces"));
    List<InetAddress> ips = new ArrayList<>();
    for (Object entry : list(raw.get("ips"))) {
      Map<?, ?> ip = (Map<?, ?>) entry;
      if (ip.get("interface") instanceof Number index) {
        int i = index.intValue();
        if (i < 0
            || i >= interfaces.size()
            || !(interfaces.get(i) instanceof Map<?, ?> iface)
            || !ifName.equals(iface.get("name"))) {
          continue;
        }
      }
      String address = (String) ip.get("address");
      Cidr.ip(address.substring(0, address.indexOf('/'))).ifPresent(ips::add);
    }
    return ips.stream()
        .sorted(Comparator.comparing(a -> a instanceof Inet4Address ? 0 : 1))
        .map(Cidr::format)
        .distinct()
        .toList();
  }

  /** The result as JSON, for the attachment record. */
  public String toJson() {
    try {
      return JSON.std.asString(raw);
    } catch (IOException e) {
      throw new IllegalStateException("a parsed result always writes back", e);
    }
  }

  private static List<Object> list(Object value) {
    if (value instanceof List<?> l) {
      return new ArrayList<>(l);
    }
    return List.of();
  }

  private static String abbreviate(String s) {
    String t = Objects.requireNonNullElse(s, "").strip();
    return t.length() > 200 ? t.substring(0, 200) + "..." : t;
  }
}
