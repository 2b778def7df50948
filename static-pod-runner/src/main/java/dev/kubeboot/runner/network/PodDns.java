package dev.kubeboot.runner.network;

import dev.kubeboot.runner.pod.NameResolution;
import dev.kubeboot.runner.pod.StaticPod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A pod's resolver settings as the kubelet computes them: the host's resolv.conf for dnsPolicy
 * Default, and for ClusterFirst too when no cluster DNS is configured (the runner never has one);
 * nothing for None; then {@code spec.dnsConfig} appended (duplicate servers and domains dropped, a
 * pod option replacing the host's of the same name); then cut to the resolver's limits (3 servers,
 * 32 search domains, 2048 characters of them).
 *
 * @param servers nameserver addresses
 * @param searches search domains, without trailing dots
 * @param options options such as {@code ndots:5}
 */
public record PodDns(List<String> servers, List<String> searches, List<String> options) {
  static final int MAX_SERVERS = 3;
  static final int MAX_SEARCHES = 32;
  static final int MAX_SEARCH_CHARS = 2048;

  public PodDns {
    servers = List.copyOf(servers);
    searches = List.copyOf(searches);
    options = List.copyOf(options);
  }

  /** The settings of {@code pod} on a node whose own resolv.conf reads {@code hostResolvConf}. */
  public static PodDns of(StaticPod pod, String hostResolvConf) {
    NameResolution names = pod.spec().names();
    PodDns base = names.dnsPolicy().equals("None") ? empty() : parse(hostResolvConf);
    if (names.dnsConfig().isEmpty()) {
      return base.fitted();
    }
    NameResolution.DnsConfig extra = names.dnsConfig().get();
    List<String> servers = distinct(base.servers(), extra.nameservers());
    List<String> searches =
        distinct(base.searches(), extra.searches().stream().map(PodDns::trimDot).toList());
    Map<String, String> options = new TreeMap<>();
    for (String option : base.options()) {
      int colon = option.indexOf(':');
      options.put(
          colon < 0 ? option : option.substring(0, colon),
          colon < 0 ? "" : option.substring(colon + 1));
    }
    extra.options().forEach(o -> options.put(o.name(), o.value().orElse("")));
    List<String> merged = new ArrayList<>();
    options.forEach((k, v) -> merged.add(v.isEmpty() ? k : k + ":" + v));
    return new PodDns(servers, searches, merged).fitted();
  }

  private static PodDns empty() {
    return new PodDns(List.of(), List.of(), List.of());
  }

  /**
   * Reads a resolv.conf as the kubelet does: every {@code nameserver}, the last {@code search} line
   * (without "." and trailing dots), every {@code options} word.
   */
  static PodDns parse(String resolvConf) {
    List<String> servers = new ArrayList<>();
    List<String> searches = new ArrayList<>();
    List<String> options = new ArrayList<>();
    for (String line : Objects.requireNonNull(resolvConf).split("\n")) {
      int comment = indexOfComment(line);
      String[] fields = line.substring(0, comment).trim().split("\\s+");
      if (fields.length < 2) {
        continue;
      }
      switch (fields[0]) {
        case "nameserver" -> servers.add(fields[1]);
        case "search" -> {
          searches.clear();
          for (int i = 1; i < fields.length; i++) {
            if (!fields[i].equals(".")) {
              searches.add(trimDot(fields[i]));
            }
          }
        }
        case "options" -> options.addAll(List.of(fields).subList(1, fields.length));
        default -> {
          // "domain", "sortlist" and unknown keywords do not reach pods.
        }
      }
    }
    return new PodDns(servers, searches, options);
  }

  private static int indexOfComment(String line) {
    int hash = line.indexOf('#');
    int semi = line.indexOf(';');
    int cut = line.length();
    if (hash >= 0) {
      cut = hash;
    }
    if (semi >= 0 && semi < cut) {
      cut = semi;
    }
    return cut;
  }

  private static String trimDot(String domain) {
    return domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
  }

  private static List<String> distinct(List<String> first, List<String> then) {
    List<String> all = new ArrayList<>(first);
    all.addAll(then);
    return all.stream().distinct().toList();
  }

  /** Cut to the resolver's limits, as the kubelet does (with a warning event there). */
  private PodDns fitted() {
    List<String> s = servers.size() > MAX_SERVERS ? servers.subList(0, MAX_SERVERS) : servers;
    List<String> kept = new ArrayList<>();
    int chars = 0;
    for (String domain : searches) {
      int add = domain.length() + (kept.isEmpty() ? 0 : 1);
      if (kept.size() == MAX_SEARCHES || chars + add > MAX_SEARCH_CHARS) {
        break;
      }
      kept.add(domain);
      chars += add;
    }
    return new PodDns(s, kept, options);
  }

  /**
   * The resolv.conf a container gets, in the layout containerd and dockershim write: search, then
   * nameservers, then options.
   */
  public String render() {
    StringBuilder b = new StringBuilder();
    if (!searches.isEmpty()) {
      b.append("search ").append(String.join(" ", searches)).append('\n');
    }
    servers.forEach(s -> b.append("nameserver ").append(s).append('\n'));
    if (!options.isEmpty()) {
      b.append("options ").append(String.join(" ", options)).append('\n');
    }
    return b.toString();
  }
}
