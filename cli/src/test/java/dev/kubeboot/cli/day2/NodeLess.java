package dev.kubeboot.cli.day2;

import dev.kubeboot.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs a kubeboot command that needs no node. */
final class NodeLess {
  private NodeLess() {}

  static Node.Result run(String... args) {
    var out = new StringWriter();
    var err = new StringWriter();
    int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Node.Result(code, out.toString(), err.toString());
  }
}
