package dev.kubeboot.cli.output;

import java.io.PrintWriter;
import java.util.Objects;

/**
 * User-facing progress on stdout in kubeadm's look: "[certs] Generating "ca" certificate and key".
 */
public final class Printer {
  private final PrintWriter out;

  public Printer(PrintWriter out) {
    this.out = Objects.requireNonNull(out, "out");
  }

  public void phase(String tag, String format, Object... args) {
    out.print('[');
    out.print(tag);
    out.print("] ");
    out.println(args.length == 0 ? format : String.format(format, args));
    out.flush();
  }

  public void line(String text) {
    out.println(text);
    out.flush();
  }

  public PrintWriter writer() {
    return out;
  }
}
