package dev.kubeboot.templates;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** kubeadm's defaults-plus-extraArgs rule (kubeadmutil.ArgumentsToCommand). */
final class Flags {

  /** Go compares strings by UTF-8 bytes, which is code point order, not UTF-16 order. */
  static final Comparator<String> GO_ORDER =
      (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
          int ca = a.codePointAt(i);
          int cb = b.codePointAt(j);
          if (ca != cb) {
            return Integer.compare(ca, cb);
          }
          i += Character.charCount(ca);
          j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
      };

  private static final Comparator<Arg> BY_NAME_THEN_VALUE =
      Comparator.comparing(Arg::name, GO_ORDER).thenComparing(Arg::value, GO_ORDER);

  private Flags() {}

  /**
   * An extraArgs entry replaces every default of its name; repeated extraArgs names all stay; the
   * result is sorted by name, then value, each as {@code --name=value}.
   */
  static List<String> merge(List<Arg> defaults, List<Arg> extraArgs) {
    Set<String> overridden = new HashSet<>();
    for (Arg a : extraArgs) {
      overridden.add(a.name());
    }
    List<Arg> all = new ArrayList<>(extraArgs);
    for (Arg a : defaults) {
      if (!overridden.contains(a.name())) {
        all.add(a);
      }
    }
    all.sort(BY_NAME_THEN_VALUE);
    List<String> flags = new ArrayList<>(all.size());
    for (Arg a : all) {
      flags.add(a.flag());
    }
    return flags;
  }

  /** The last value given for {@code name}, as kubeadm's GetArgValue(args, name, -1). */
  static Optional<String> lastValue(List<Arg> args, String name) {
    for (int i = args.size() - 1; i >= 0; i--) {
      if (args.get(i).name().equals(name)) {
        return Optional.of(args.get(i).value());
      }
    }
    return Optional.empty();
  }

  static boolean has(List<Arg> args, String name) {
    return lastValue(args, name).isPresent();
  }

  /** Ordered defaults where a later {@link #set} replaces the earlier value of the same name. */
  static final class Defaults {
    private final List<Arg> args = new ArrayList<>();

    Defaults set(String name, String value) {
      args.removeIf(a -> a.name().equals(name));
      args.add(new Arg(name, value));
      return this;
    }

    Defaults remove(String name) {
      args.removeIf(a -> a.name().equals(name));
      return this;
    }

    List<Arg> toList() {
      return List.copyOf(args);
    }
  }
}
