package dev.kubeboot.runner.runtime;

import dev.kubeboot.runner.pod.PodKey;
import dev.kubeboot.runner.pod.ShownText;
import java.nio.file.Path;

/**
 * Paths built from names a manifest or an engine label chose (namespace, pod name, pod uid,
 * container and volume names): each name must be one plain path element, and the result must stay
 * under its root. Every runtime builds such paths only here, so a uid like {@code x/../../victim}
 * can neither create nor delete anything outside the runner's directories.
 */
public final class ContainedPath {
  private ContainedPath() {}

  /**
   * {@code root/names[0]/names[1]/...}, normalized.
   *
   * @throws IllegalArgumentException a name is empty, {@code .} or {@code ..}, holds a {@code /}, a
   *     NUL or another control character, or the result is not below {@code root}
   */
  public static Path under(Path root, String... names) {
    Path base = root.toAbsolutePath().normalize();
    Path p = base;
    for (String name : names) {
      String why = whyNotAName(name);
      if (!why.isEmpty()) {
        throw new IllegalArgumentException(
            "refusing path element \"" + ShownText.of(name) + "\" under " + base + ": " + why);
      }
      p = p.resolve(name);
    }
    Path normalized = p.normalize();
    if (normalized.equals(base) || !normalized.startsWith(base)) {
      throw new IllegalArgumentException(normalized + " is not below " + base + ": refusing it");
    }
    return normalized;
  }

  /**
   * The kubelet's per-pod directory name, {@code <namespace>_<name>_<uid>}, under {@code root}.
   *
   * @throws IllegalArgumentException as {@link #under}
   */
  public static Path podDir(Path root, PodKey pod, String podUid) {
    for (String part : new String[] {pod.namespace(), pod.name(), podUid}) {
      String why = whyNotAName(part);
      if (!why.isEmpty()) {
        throw new IllegalArgumentException(
            "refusing pod directory for "
                + pod
                + " (uid \""
                + ShownText.of(podUid)
                + "\") under "
                + root
                + ": \""
                + ShownText.of(part)
                + "\" "
                + why);
      }
    }
    return under(root, pod.namespace() + "_" + pod.name() + "_" + podUid);
  }

  /** Empty when {@code name} is one plain path element, else why not. */
  static String whyNotAName(String name) {
    if (name.isEmpty()) {
      return "is empty";
    }
    if (name.equals(".") || name.equals("..")) {
      return "is a relative directory reference";
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '/') {
        return "holds a '/'";
      }
      if (Character.isISOControl(c)) {
        return "holds a control character";
      }
    }
    return "";
  }
}
