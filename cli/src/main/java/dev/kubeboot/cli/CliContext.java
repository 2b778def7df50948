package dev.kubeboot.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import picocli.CommandLine;

/**
 * What every command gets from the composition root: the output streams and process-level settings.
 * Commands receive it through their constructor, never through static state.
 */
public final class CliContext {
  private final PrintWriter out;
  private final PrintWriter err;
  private final InputStream in;
  private boolean stacktrace;
  private int verbosity;

  CliContext(PrintWriter out, PrintWriter err) {
    this(out, err, System.in);
  }

  /** With the stream a command reads answers from (reset's confirmation). */
  CliContext(PrintWriter out, PrintWriter err, InputStream in) {
    this.out = out;
    this.err = err;
    this.in = in;
  }

  public InputStream in() {
    return in;
  }

  public PrintWriter out() {
    return out;
  }

  public PrintWriter err() {
    return err;
  }

  /** Whether errors are printed with their stack trace: --stacktrace, or -v 5 and more. */
  public boolean stacktrace() {
    return stacktrace || verbosity >= dev.kubeboot.cli.options.Verbosity.STACK_TRACES;
  }

  /** The -v level given, 0 by default. */
  public int verbosity() {
    return verbosity;
  }

  public void verbosity(int level) {
    verbosity = level;
  }

  public void stacktrace(boolean on) {
    stacktrace = on;
  }

  /** Creates command objects, handing this context to constructors that take one. */
  CommandLine.IFactory factory() {
    var fallback = CommandLine.defaultFactory();
    return new CommandLine.IFactory() {
      @Override
      public <K> K create(Class<K> cls) throws Exception {
        for (Constructor<?> c : cls.getDeclaredConstructors()) {
          if (c.getParameterCount() == 1 && c.getParameterTypes()[0] == CliContext.class) {
            c.setAccessible(true);
            return cls.cast(c.newInstance(CliContext.this));
          }
        }
        return fallback.create(cls);
      }
    };
  }
}
