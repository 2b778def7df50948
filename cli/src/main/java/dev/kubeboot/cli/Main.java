package dev.kubeboot.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** Process entry point: {@code main} only exits with what {@link #run} returns. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    if (!isVersion(args)) {
      // Not for the version answer: it loads nothing but Main and Version (see run).
      logLevel(args);
    }
    var out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    var err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    int code = run(out, err, args);
    // System.exit starts the JDK's logging (it logs Runtime.exit): ~10 ms the version answer saves
    // by simply returning, which it can as it starts no thread.
    if (code != ExitCodes.OK || !isVersion(args)) {
      System.exit(code);
    }
  }

  /**
   * Sets the level of kubeboot's diagnostics from {@code -v}. slf4j-simple reads its level only
   * from system properties, once, when the first logger is made; this is the one place that runs
   * before any logger exists, so the one place that sets it (the testable {@link #run} never does).
   * A level given with {@code -D} (KUBEBOOT_JAVA_OPTS) wins.
   */
  private static void logLevel(String[] args) {
    String key = "org.slf4j.simpleLogger.defaultLogLevel";
    if (System.getProperty(key) == null) {
      dev.kubeboot.cli.options.Verbosity.fromArgs(java.util.List.of(args))
          .filter(v -> v > 0)
          .ifPresent(v -> System.setProperty(key, dev.kubeboot.cli.options.Verbosity.logLevel(v)));
    }
  }

  private static boolean isVersion(String... args) {
    return args.length == 1 && (args[0].equals("--version") || args[0].equals("version"));
  }

  /** Runs one kubeboot command; testable without a process. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    // The version answer must not pay for building the picocli model (~100 ms).
    if (isVersion(args)) {
      out.println(Version.line());
      out.flush();
      return ExitCodes.OK;
    }
    return Cli.run(out, err, args);
  }

  /** Runs one kubeboot command that may read answers from {@code in} (reset's confirmation). */
  public static int run(java.io.InputStream in, PrintWriter out, PrintWriter err, String... args) {
    return Cli.run(in, out, err, args);
  }
}
