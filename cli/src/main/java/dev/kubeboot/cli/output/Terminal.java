package dev.kubeboot.cli.output;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether this process writes to a terminal. {@code System.console()} cannot tell since Java 22 (it
 * answers for redirected streams too), so the kernel is asked what file descriptor 1 is.
 */
public final class Terminal {
  private Terminal() {}

  /** True when standard output is a terminal device (/dev/pts/N, /dev/ttyN, /dev/console). */
  public static boolean stdoutIsTerminal() {
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/1")).toString();
      return target.startsWith("/dev/pts/")
          || target.startsWith("/dev/tty")
          || target.equals("/dev/console");
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }
}
