package dev.kubeboot.cli.day2;

import java.time.Duration;
import java.util.List;

/**
 * The text layout of kubeadm's table outputs ({@code token list}, {@code certs check-expiration}):
 * Go's text/tabwriter as kubeadm configures it, and apimachinery's ShortHumanDuration for the time
 * columns.
 */
final class KubeadmText {
  private static final int MIN_WIDTH = 10;
  private static final int PADDING = 3;

  private KubeadmText() {}

  /**
   * Every cell but the last of a line is padded to its column's widest cell + 3, at least 10; the
   * last cell is written as it is.
   */
  static void tabulate(List<List<String>> rows, StringBuilder out) {
    int columns = rows.getFirst().size() - 1;
    int[] widths = new int[columns];
    for (int c = 0; c < columns; c++) {
      int width = MIN_WIDTH;
      for (List<String> row : rows) {
        width = Math.max(width, row.get(c).length() + PADDING);
      }
      widths[c] = width;
    }
    for (List<String> row : rows) {
      for (int c = 0; c < columns; c++) {
        out.append(row.get(c)).append(" ".repeat(widths[c] - row.get(c).length()));
      }
      out.append(row.get(columns)).append('\n');
    }
  }

  /** apimachinery's duration.ShortHumanDuration. */
  static String shortHumanDuration(Duration d) {
    long seconds = d.toSeconds();
    if (seconds < -1) {
      return "<invalid>";
    } else if (seconds < 0) {
      return "0s";
    } else if (seconds < 60) {
      return seconds + "s";
    }
    long minutes = d.toMinutes();
    if (minutes < 60) {
      return minutes + "m";
    }
    long hours = d.toHours();
    if (hours < 24) {
      return hours + "h";
    } else if (hours < 24 * 365) {
      return hours / 24 + "d";
    }
    return hours / 24 / 365 + "y";
  }
}
