package dev.kubeboot.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One {@code kubeboot} command run in-process: its exit code and what it wrote to each stream. */
public record CliRun(int code, String out, String err) {

  /** Runs {@code kubeboot args} through {@link Main#run}, as the launcher would. */
  public static CliRun kubeboot(String... args) {
    var out = new StringWriter();
    var err = new StringWriter();
    int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
    return new CliRun(code, out.toString(), err.toString());
  }
}
