package dev.kubeboot.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The training run of the launcher's AOT cache (scripts/aot-train.sh), not a kubeboot command: runs
 * several kubeboot commands one after the other in one JVM, so that one cache holds the classes of
 * each. JDK 25 makes a cache from exactly one training process ({@code -XX:AOTCacheOutput}) and
 * cannot add a second run to it, and a cache trained on {@code init} alone leaves every class of
 * the other commands to be loaded from the jar.
 *
 * <p>Arguments: the commands' arguments, separated by {@value #THEN}. The first command must
 * succeed: it makes the node the later ones look at (a rendered {@code init}). The later ones may
 * fail (the status of a node whose control plane does not run exits 1: its code paths run all the
 * same), but not with a usage error, which means the training's own arguments are wrong.
 */
public final class AotTraining {
  static final String THEN = "--then";

  private AotTraining() {}

  public static void main(String[] args) {
    var out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    var err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    int code = run(out, err, args);
    // init leaves its key generator's threads; the cache is written when the JVM exits.
    System.exit(code);
  }

  /** Runs the commands in order; the exit code of the training (0, or the failing command's). */
  static int run(PrintWriter out, PrintWriter err, String... args) {
    List<List<String>> commands = split(args);
    if (commands.isEmpty() || commands.stream().anyMatch(List::isEmpty)) {
      err.println(
          "usage: AotTraining COMMAND [ARGS...] ["
              + THEN
              + " COMMAND [ARGS...]]...: no command in "
              + Arrays.toString(args));
      return ExitCodes.USAGE;
    }
    for (int i = 0; i < commands.size(); i++) {
      List<String> command = commands.get(i);
      int code = Main.run(out, err, command.toArray(String[]::new));
      err.println("aot training: kubeboot " + String.join(" ", command) + " exited " + code);
      if (code == ExitCodes.USAGE || (i == 0 && code != ExitCodes.OK)) {
        return code;
      }
    }
    return ExitCodes.OK;
  }

  private static List<List<String>> split(String... args) {
    List<List<String>> commands = new ArrayList<>();
    List<String> current = new ArrayList<>();
    for (String arg : args) {
      if (arg.equals(THEN)) {
        commands.add(current);
        current = new ArrayList<>();
      } else {
        current.add(arg);
      }
    }
    if (!current.isEmpty() || !commands.isEmpty()) {
      commands.add(current);
    }
    return commands;
  }
}
