package dev.kubeboot.runner.mirror;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** The API's metav1.Time text: RFC 3339 in UTC, whole seconds. */
final class Times {
  private Times() {}

  static String format(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
  }
}
