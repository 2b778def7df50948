package dev.kubeboot.cli.config;

import dev.kubeboot.pki.DnsNames;
import dev.kubeboot.pki.IpLiterals;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@code controlPlaneEndpoint}: a host (IP address or DNS name) and an optional port, read as
 * kubeadm's {@code util.ParseHostPort} reads it.
 *
 * @param host an IP literal (IPv6 without brackets) or a lower-case RFC 1123 subdomain
 * @param port empty when the endpoint names none (kubeadm then uses the bind port)
 */
public record HostPort(String host, OptionalInt port) {
  public HostPort {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(port, "port");
  }

  /**
   * Go's {@code net.SplitHostPort}, then kubeadm's checks: a text that does not split is all host
   * ({@code 2001:db8::1}); the port must be 1 to 65535; the host an IP literal or a DNS subdomain.
   * So {@code [2001:db8::1]} without a port is refused, as kubeadm refuses it.
   *
   * @return the endpoint, or the reason it is not one
   */
  public static Result parse(String text) {
    String host = text;
    String port = "";
    Optional<String[]> split = splitHostPort(text);
    if (split.isPresent()) {
      host = split.get()[0];
      port = split.get()[1];
    }
    OptionalInt portNumber = OptionalInt.empty();
    if (!port.isEmpty()) {
      if (!port.chars().allMatch(c -> c >= '0' && c <= '9')
          || port.length() > 5
          || Integer.parseInt(port) < 1
          || Integer.parseInt(port) > 65535) {
        return new Result(
            null, "port " + port + " must be a valid number between 1 and 65535, inclusive");
      }
      portNumber = OptionalInt.of(Integer.parseInt(port));
    }
    if (IpLiterals.parse(host).isPresent() || DnsNames.isSubdomain(host)) {
      return new Result(new HostPort(host, portNumber), null);
    }
    return new Result(
        null,
        "host '"
            + host
            + "' must be a valid IP address or a valid RFC-1123 DNS subdomain"
            + (host.startsWith("[") && split.isEmpty()
                ? " (an IPv6 address in brackets needs a port: [ADDRESS]:PORT, or drop the"
                    + " brackets)"
                : ""));
  }

  /** The outcome of {@link #parse}: an endpoint or the reason, never both. */
  public record Result(HostPort endpoint, String problem) {
    public Optional<HostPort> value() {
      return Optional.ofNullable(endpoint);
    }
  }

  /** This endpoint with the given port when it names none. */
  public HostPort withDefaultPort(int defaultPort) {
    return port.isPresent() ? this : new HostPort(host, OptionalInt.of(defaultPort));
  }

  /** As kubeadm writes it back: {@code host}, {@code host:port} or {@code [ipv6]:port}. */
  @Override
  public String toString() {
    if (port.isEmpty()) {
      return host;
    }
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port.getAsInt();
  }

  /**
   * Go's {@code net.SplitHostPort}: empty when the text has no port part (then kubeadm takes it all
   * as the host).
   */
  private static Optional<String[]> splitHostPort(String text) {
    int lastColon = text.lastIndexOf(':');
    if (lastColon < 0) {
      return Optional.empty();
    }
    String host;
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      if (close < 0 || close + 1 != lastColon) {
        return Optional.empty();
      }
      host = text.substring(1, close);
    } else {
      host = text.substring(0, lastColon);
      if (host.contains(":")) {
        return Optional.empty();
      }
    }
    if (host.contains("[") || host.contains("]")) {
      return Optional.empty();
    }
    return Optional.of(new String[] {host, text.substring(lastColon + 1)});
  }
}
