package dev.kubeboot.testing;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * kube-controller-manager's {@code --controllers} list (default {@code *}): a name turns a
 * controller on, {@code -name} off, {@code *} turns on every controller that is on by default; the
 * first entry that decides wins. bootstrapsigner and tokencleaner are off by default, which is why
 * kubeadm passes {@code --controllers=*,bootstrapsigner,tokencleaner}.
 */
record Controllers(List<String> entries) {
  static final String BOOTSTRAP_SIGNER = "bootstrapsigner";
  static final String TOKEN_CLEANER = "tokencleaner";
  private static final Set<String> DISABLED_BY_DEFAULT = Set.of(BOOTSTRAP_SIGNER, TOKEN_CLEANER);

  Controllers {
    entries = List.copyOf(entries);
  }

  static Controllers parse(String flag) {
    return new Controllers(
        Arrays.stream(flag.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
  }

  boolean enabled(String controller) {
    boolean star = false;
    for (String entry : entries) {
      if (entry.equals(controller)) {
        return true;
      }
      if (entry.equals("-" + controller)) {
        return false;
      }
      if (entry.equals("*")) {
        star = true;
      }
    }
    return star && !DISABLED_BY_DEFAULT.contains(controller);
  }
}
