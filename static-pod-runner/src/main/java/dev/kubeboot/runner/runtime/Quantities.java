package dev.kubeboot.runner.runtime;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kubernetes resource quantities ("250m", "100Mi", "1G", "1.5", "1e3") as the numbers container
 * engines take (Docker's NanoCPUs, CRI's CFS quota, cgroup shares, bytes).
 */
public final class Quantities {
  /** The CFS period the kubelet uses: 100 ms. */
  public static final long CPU_PERIOD_US = 100_000;

  private static final Pattern QUANTITY =
      Pattern.compile(
          "([+-]?[0-9]*\\.?[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?");
  private static final BigDecimal BINARY = BigDecimal.valueOf(1024);
  private static final BigDecimal NANOS_PER_CPU = BigDecimal.valueOf(1_000_000_000L);
  private static final Map<String, BigDecimal> SUFFIXES =
      Map.ofEntries(
          Map.entry("n", new BigDecimal("1e-9")),
          Map.entry("u", new BigDecimal("1e-6")),
          Map.entry("m", new BigDecimal("1e-3")),
          Map.entry("k", new BigDecimal("1e3")),
          Map.entry("M", new BigDecimal("1e6")),
          Map.entry("G", new BigDecimal("1e9")),
          Map.entry("T", new BigDecimal("1e12")),
          Map.entry("P", new BigDecimal("1e15")),
          Map.entry("E", new BigDecimal("1e18")),
          Map.entry("Ki", BINARY),
          Map.entry("Mi", BINARY.pow(2)),
          Map.entry("Gi", BINARY.pow(3)),
          Map.entry("Ti", BINARY.pow(4)),
          Map.entry("Pi", BINARY.pow(5)),
          Map.entry("Ei", BINARY.pow(6)));

  private Quantities() {}

  /**
   * The value of a quantity in base units (cores, bytes).
   *
   * @throws IllegalArgumentException not a Kubernetes quantity, or negative
   */
  public static BigDecimal parse(String quantity) {
    Matcher m = QUANTITY.matcher(quantity.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "\"" + quantity + "\" is not a Kubernetes quantity (e.g. 250m, 1.5, 100Mi, 1G)");
    }
    BigDecimal number = new BigDecimal(m.group(1));
    if (number.signum() < 0) {
      throw new IllegalArgumentException("quantity \"" + quantity + "\" is negative");
    }
    String suffix = m.group(2);
    if (suffix == null) {
      return number;
    }
    if (suffix.matches("[eE][+-]?[0-9]+")) {
      return number.scaleByPowerOfTen(Integer.parseInt(suffix.substring(1)));
    }
    return number.multiply(SUFFIXES.get(suffix));
  }

  /** CPU as Docker's NanoCPUs (1 core = 10^9), rounded up as the kubelet rounds millicores up. */
  public static long nanoCpus(String quantity) {
    return parse(quantity)
        .multiply(NANOS_PER_CPU)
        .setScale(0, RoundingMode.CEILING)
        .longValueExact();
  }

  /** CPU as cgroup v1 shares: 1024 per core, at least 2 (the kubelet's MilliCPUToShares). */
  public static long cpuShares(String quantity) {
    return Math.max(2, Math.min(262_144, millis(quantity) * 1024 / 1000));
  }

  /**
   * A cpu limit as a CFS quota per {@link #CPU_PERIOD_US}, at least 1 ms (the kubelet's minimum).
   */
  public static long cpuQuota(String quantity) {
    return Math.max(1000, millis(quantity) * CPU_PERIOD_US / 1000);
  }

  private static long millis(String cpu) {
    return parse(cpu).movePointRight(3).setScale(0, RoundingMode.CEILING).longValueExact();
  }

  /** Memory in bytes, rounded up to a whole byte. */
  public static long bytes(String quantity) {
    return parse(quantity).setScale(0, RoundingMode.CEILING).longValueExact();
  }
}
