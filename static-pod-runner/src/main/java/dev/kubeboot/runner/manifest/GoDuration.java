package dev.kubeboot.runner.manifest;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Durations in Go's {@code time.Duration} syntax, which kubeadm and the kubelet use in their config
 * files ({@code 4m0s}, {@code 8760h}, {@code 1h30m}, {@code 500ms}, {@code 1.5s}). The one parser
 * and printer of this syntax in kubeboot: the runner reads KubeletConfiguration durations with it,
 * and the cli its flags and kubeadm config files.
 */
public final class GoDuration {
  private static final Map<String, Long> UNIT_NANOS =
      Map.of(
          "ns", 1L,
          "us", 1_000L,
          "\u00b5s", 1_000L,
          "\u03bcs", 1_000L,
          "ms", 1_000_000L,
          "s", 1_000_000_000L,
          "m", 60_000_000_000L,
          "h", 3_600_000_000_000L);

  private static final BigDecimal MAX_NANOS = BigDecimal.valueOf(Long.MAX_VALUE);

  private GoDuration() {}

  /** Parses like Go's {@code time.ParseDuration}; empty when the text is not a Go duration. */
  public static Optional<Duration> parse(String text) {
    String s = text;
    boolean negative = false;
    if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
      negative = s.charAt(0) == '-';
      s = s.substring(1);
    }
    if (s.equals("0")) {
      return Optional.of(Duration.ZERO);
    }
    if (s.isEmpty()) {
      return Optional.empty();
    }
    BigDecimal total = BigDecimal.ZERO;
    int i = 0;
    while (i < s.length()) {
      int start = i;
      boolean digits = false;
      while (i < s.length() && Character.isDigit(s.charAt(i)) && s.charAt(i) < 128) {
        i++;
        digits = true;
      }
      if (i < s.length() && s.charAt(i) == '.') {
        i++;
        while (i < s.length() && Character.isDigit(s.charAt(i)) && s.charAt(i) < 128) {
          i++;
          digits = true;
        }
      }
      if (!digits) {
        return Optional.empty();
      }
      BigDecimal number = new BigDecimal(s.substring(start, i));
      int unitStart = i;
      while (i < s.length() && s.charAt(i) != '.' && !(Character.isDigit(s.charAt(i)))) {
        i++;
      }
      Long unit = UNIT_NANOS.get(s.substring(unitStart, i));
      if (unit == null) {
        return Optional.empty();
      }
      total = total.add(number.multiply(BigDecimal.valueOf(unit)));
      if (total.compareTo(MAX_NANOS) > 0) {
        return Optional.empty();
      }
    }
    long nanos = total.setScale(0, RoundingMode.DOWN).longValueExact();
    return Optional.of(Duration.ofNanos(negative ? -nanos : nanos));
  }

  /**
   * Formats like Go's {@code Duration.String()}: {@code 4m0s}, {@code 8760h0m0s}, {@code 500ms}.
   */
  public static String format(Duration duration) {
    long nanos = duration.toNanos();
    if (nanos == 0) {
      return "0s";
    }
    boolean negative = nanos < 0;
    long u = Math.abs(nanos);
    StringBuilder out = new StringBuilder();
    if (u < 1_000_000_000L) {
      String unit;
      int precision;
      if (u < 1_000L) {
        unit = "ns";
        precision = 0;
      } else if (u < 1_000_000L) {
        unit = "\u00b5s";
        precision = 3;
      } else {
        unit = "ms";
        precision = 6;
      }
      out.append(withFraction(u, precision)).append(unit);
    } else {
      long seconds = u / 1_000_000_000L;
      long fraction = u % 1_000_000_000L;
      long minutes = seconds / 60;
      long hours = minutes / 60;
      if (hours > 0) {
        out.append(hours).append('h');
      }
      if (minutes > 0) {
        out.append(minutes % 60).append('m');
      }
      out.append(withFraction((seconds % 60) * 1_000_000_000L + fraction, 9)).append('s');
    }
    return negative ? "-" + out : out.toString();
  }

  private static String withFraction(long value, int precision) {
    long scale = (long) Math.pow(10, precision);
    long whole = value / scale;
    long fraction = value % scale;
    if (fraction == 0) {
      return Long.toString(whole);
    }
    String digits = String.format("%0" + precision + "d", fraction).replaceAll("0+$", "");
    return whole + "." + digits;
  }
}
