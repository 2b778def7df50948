package dev.kubeboot.cli.check;

import java.util.List;
import java.util.Objects;

/**
 * One thing {@code kubeboot check} looked at and what it found.
 *
 * @param kind manifest, certificate, ca or kubeconfig
 * @param file the file checked
 * @param summary what was verified, when nothing is wrong
 * @param problems what is wrong, each naming the file or field; empty when it passed
 * @param notes what is not wrong but worth knowing (a directory the runner will create empty)
 */
public record Finding(
    String kind, String file, String summary, List<String> problems, List<String> notes) {
  public Finding {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(summary, "summary");
    problems = List.copyOf(problems);
    notes = List.copyOf(notes);
  }

  public boolean ok() {
    return problems.isEmpty();
  }
}
