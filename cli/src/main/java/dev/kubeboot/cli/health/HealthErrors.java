package dev.kubeboot.cli.health;

import dev.kubeboot.runner.manifest.GoDuration;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A failed health check in words an operator acts on: what went wrong in the TLS handshake or the
 * connection, never the JDK's exception chain ("PKIX path validation failed:
 * java.security.cert.CertPathValidatorException: ..." says neither what nor where).
 */
public final class HealthErrors {
  /** A Java class name with its package, as exception messages embed them ("java.x.FooError: "). */
  private static final Pattern CLASS_NAME =
      Pattern.compile("\\b(?:[a-z_$][\\w$]*\\.)+[A-Z][\\w$]*(?:Exception|Error)\\b:?\\s*");

  private HealthErrors() {}

  /** {@link #describe(Throwable, Duration)} for a failure that is not a timeout. */
  public static String describe(Throwable error) {
    return describe(error, Duration.ZERO);
  }

  /**
   * @param timeout the request's timeout, named when it ran out
   */
  public static String describe(Throwable error, Duration timeout) {
    List<Throwable> chain = new ArrayList<>();
    for (Throwable t = error; t != null && chain.size() < 10; t = t.getCause()) {
      chain.add(t);
    }
    String messages =
        String.join(
            " | ",
            chain.stream()
                .map(t -> t.getMessage() == null ? "" : t.getMessage())
                .map(m -> m.toLowerCase(Locale.ROOT))
                .toList());
    for (Throwable t : chain) {
      switch (t) {
        case CertificateExpiredException e -> {
          return "TLS: a certificate in the chain has expired (" + stripped(e) + ")";
        }
        case CertificateNotYetValidException e -> {
          return "TLS: a certificate in the chain is not valid yet (check the clock)";
        }
        case HttpConnectTimeoutException e -> {
          return "no connection within the connect timeout (is the host reachable?)";
        }
        case HttpTimeoutException e -> {
          return "no answer within " + GoDuration.format(timeout);
        }
        case ConnectException e -> {
          return "connection refused (nothing listens there)";
        }
        case NoSuchFileException e -> {
          return e.getFile() + " is missing";
        }
        case AccessDeniedException e -> {
          return e.getFile() + " cannot be read (permission denied; run as root)";
        }
        default -> {}
      }
    }
    if (messages.contains("validity check failed")) {
      return "TLS: the server's certificate or its CA has expired or is not valid yet";
    }
    if (messages.contains("unable to find valid certification path")
        || messages.contains("pkix path building failed")
        || messages.contains("signature check failed")
        || messages.contains("pkix path validation failed")) {
      return "TLS: the server's certificate is not signed by the CA this check trusts";
    }
    if (messages.contains("no subject alternative") || messages.contains("no name matching")) {
      return "TLS: the server's certificate does not name the address checked (its SANs miss it)";
    }
    if (messages.contains("bad_certificate")
        || messages.contains("certificate_required")
        || messages.contains("unknown_ca")
        || messages.contains("certificate_unknown")) {
      return "TLS: the server rejected the client certificate (not signed by the CA it trusts?)";
    }
    if (messages.contains("unsupported or unrecognized ssl message")
        || messages.contains("plaintext connection")) {
      return "TLS: the server does not speak TLS on this port (plain HTTP?)";
    }
    if (messages.contains("connection reset") || messages.contains("eof reached")) {
      return "the server closed the connection during the request";
    }
    return stripped(error);
  }

  /** The message with the Java class names taken out; the class's simple name when it has none. */
  static String stripped(Throwable error) {
    String message = error.getMessage();
    if (message == null || message.isBlank()) {
      return error.getCause() != null
          ? stripped(error.getCause())
          : error
              .getClass()
              .getSimpleName()
              .replaceAll("(Exception|Error)$", "")
              .toLowerCase(Locale.ROOT);
    }
    return CLASS_NAME.matcher(message).replaceAll("").strip();
  }
}
