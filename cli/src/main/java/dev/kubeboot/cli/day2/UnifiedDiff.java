package dev.kubeboot.cli.day2;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import java.util.List;
import java.util.Optional;

/** A unified diff (git's a/ b/ names) between two versions of a text file. */
final class UnifiedDiff {
  /** kubeadm's and git's default lines of context. */
  static final int CONTEXT = 3;

  private UnifiedDiff() {}

  /**
   * @param before the current content, empty when the file does not exist yet
   * @return the diff lines, empty when both are equal
   */
  static List<String> of(String fileName, Optional<String> before, String after) {
    return of(fileName, before, after, CONTEXT);
  }

  /** The same with {@code context} lines of context around each change. */
  static List<String> of(String fileName, Optional<String> before, String after, int context) {
    List<String> original = before.map(UnifiedDiff::lines).orElse(List.of());
    List<String> revised = lines(after);
    if (original.equals(revised)) {
      return List.of();
    }
    var patch = DiffUtils.diff(original, revised);
    String from = before.isPresent() ? "a/" + fileName : "/dev/null";
    return UnifiedDiffUtils.generateUnifiedDiff(from, "b/" + fileName, original, patch, context);
  }

  private static List<String> lines(String text) {
    return text.lines().toList();
  }
}
