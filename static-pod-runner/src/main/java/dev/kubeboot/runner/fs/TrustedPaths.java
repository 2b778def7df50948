package dev.kubeboot.runner.fs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Whether a directory kubeboot works in is safe from other local users. Every component of the
 * path, from {@code /} down, symbolic links followed as the kernel would, must be owned by root or
 * by this process's user, and none may be writable by group or others; the one exception is a
 * sticky directory like {@code /tmp} on the way (not at the end): there others can add entries but
 * not replace ours, and what follows must itself pass. Otherwise a user who owns or can write a
 * directory on the way could rename it and put their own manifests, certificates or pid files in
 * its place while kubeboot runs as root.
 *
 * <p>A path whose end does not exist yet is checked up to its last existing directory: whoever
 * creates the rest creates it there, and a later check finds what was made.
 */
public final class TrustedPaths {
  /** As Linux's own limit (MAXSYMLINKS). */
  private static final int MAX_LINKS = 40;

  private static final int S_IFMT = 0170000;
  private static final int S_IFLNK = 0120000;
  private static final int S_ISVTX = 01000;
  private static final int GROUP_WRITE = 020;
  private static final int OTHER_WRITE = 02;

  private final Set<Integer> trustedUids;

  /**
   * @param trustedUids the owners allowed on the way (root should be one: it owns {@code /})
   */
  public TrustedPaths(Set<Integer> trustedUids) {
    this.trustedUids = Set.copyOf(trustedUids);
    if (this.trustedUids.isEmpty()) {
      throw new IllegalArgumentException("no trusted owner: root at least must be trusted");
    }
  }

  /**
   * Root and this process's user: root trusts only root's directories; a user running kubeboot on
   * their own files (a render into a private directory) trusts their own too.
   */
  public static TrustedPaths forThisProcess() {
    int uid = effectiveUid();
    return new TrustedPaths(uid == 0 ? Set.of(0) : Set.of(0, uid));
  }

  /**
   * Checks {@code path} and every directory and link on the way to it.
   *
   * @return the path with its links resolved, as far as it exists
   * @throws UntrustedPathException a component is owned or writable by another user
   * @throws IOException a component cannot be read, or links loop
   */
  public Path requireTrusted(Path path) throws IOException {
    return walk(path, true);
  }

  /**
   * Checks every directory and link on the way to {@code path}, not {@code path} itself: for a
   * directory a service user may own, such as etcd's data directory under Debian's etcd package. No
   * other user can then rename or replace it, except in a sticky directory like {@code /tmp}, where
   * anyone may have made it first: there it must be owned by a trusted user too.
   *
   * @return the path with its links resolved, as far as it exists
   * @throws UntrustedPathException a directory or link on the way is owned or writable by another
   *     user, or the path sits in a sticky directory and another user made it
   * @throws IOException a component cannot be read, or links loop
   */
  public Path requireTrustedWayTo(Path path) throws IOException {
    return walk(path, false);
  }

  private Path walk(Path path, boolean includingTheEnd) throws IOException {
    Path absolute = path.toAbsolutePath();
    Path root = absolute.getRoot();
    Deque<String> rest = new ArrayDeque<>();
    absolute.forEach(name -> rest.addLast(name.toString()));
    Map<String, Object> currentAttributes = attributes(root);
    check(path, root, currentAttributes, rest.isEmpty());
    Path current = root;
    int links = 0;
    while (!rest.isEmpty()) {
      String name = rest.removeFirst();
      if (name.equals(".")) {
        continue;
      }
      if (name.equals("..")) {
        // current never holds a link, so its lexical parent is its real parent
        current = current.getParent() == null ? current : current.getParent();
        currentAttributes = attributes(current);
        continue;
      }
      Path next = current.resolve(name);
      Map<String, Object> attributes;
      try {
        attributes = attributes(next);
      } catch (NoSuchFileException e) {
        Path missing = next;
        for (String r : rest) {
          missing = missing.resolve(r);
        }
        return missing.normalize();
      }
      if (((int) attributes.get("mode") & S_IFMT) == S_IFLNK) {
        requireTrustedOwner(path, next, attributes);
        if (++links > MAX_LINKS) {
          throw new IOException(
              "cannot check " + path + ": more than 40 symbolic links on the way");
        }
        Path target = Files.readSymbolicLink(next);
        var names = new ArrayDeque<String>();
        target.forEach(n -> names.addLast(n.toString()));
        while (!names.isEmpty()) {
          rest.addFirst(names.removeLast());
        }
        if (target.isAbsolute()) {
          current = root;
          currentAttributes = attributes(root);
        }
        continue;
      }
      boolean last = rest.isEmpty();
      if (!last || includingTheEnd) {
        check(path, next, attributes, last);
      } else if (openToOthers((int) currentAttributes.get("mode"))) {
        requireTrustedOwner(path, next, attributes);
      }
      current = next;
      currentAttributes = attributes;
    }
    return current;
  }

  private static boolean openToOthers(int mode) {
    return (mode & (GROUP_WRITE | OTHER_WRITE)) != 0;
  }

  private void check(Path checked, Path component, Map<String, Object> attributes, boolean last)
      throws IOException {
    requireTrustedOwner(checked, component, attributes);
    int mode = (int) attributes.get("mode");
    boolean sticky = (mode & S_ISVTX) != 0;
    if ((mode & (GROUP_WRITE | OTHER_WRITE)) == 0 || (sticky && !last)) {
      return;
    }
    String who =
        (mode & OTHER_WRITE) != 0
            ? "every user"
            : "the members of group " + groupName(component, (int) attributes.get("gid"));
    throw new UntrustedPathException(
        checked,
        component,
        refusing(checked, component)
            + " is writable by "
            + who
            + " (owner "
            + ownerName(component, (int) attributes.get("uid"))
            + ", mode "
            + octal(mode)
            + (sticky ? "; a sticky directory is fine on the way, not as kubeboot's own" : "")
            + "), who could swap the files kubeboot reads or writes there. Let only its owner"
            + " write it (chmod go-w "
            + component
            + ") or choose a directory that only "
            + trustedOwners()
            + " can write.");
  }

  private void requireTrustedOwner(Path checked, Path component, Map<String, Object> attributes)
      throws IOException {
    int uid = (int) attributes.get("uid");
    if (trustedUids.contains(uid)) {
      return;
    }
    throw new UntrustedPathException(
        checked,
        component,
        refusing(checked, component)
            + " is owned by "
            + ownerName(component, uid)
            + " (uid "
            + uid
            + ", mode "
            + octal((int) attributes.get("mode"))
            + "), not by "
            + trustedOwners()
            + ", so that user could swap the files kubeboot reads or writes there. Give it to "
            + (trustedUids.equals(Set.of(0))
                ? "root (chown root:root " + component + ")"
                : trustedOwners())
            + " or choose a directory that only "
            + trustedOwners()
            + " can write.");
  }

  private static String refusing(Path checked, Path component) {
    return component.equals(checked.toAbsolutePath())
        ? "refusing " + checked + ": it"
        : "refusing " + checked + ": " + component + " on the way to it";
  }

  private String trustedOwners() {
    var names = new TreeSet<String>();
    for (int uid : trustedUids) {
      names.add(uid == 0 ? "root" : "uid " + uid + " (this user)");
    }
    return String.join(" or ", names);
  }

  private static Map<String, Object> attributes(Path path) throws IOException {
    return Files.readAttributes(path, "unix:mode,uid,gid", LinkOption.NOFOLLOW_LINKS);
  }

  private static String ownerName(Path path, int uid) {
    try {
      return Files.getOwner(path, LinkOption.NOFOLLOW_LINKS).getName();
    } catch (IOException | UnsupportedOperationException e) {
      return "uid " + uid;
    }
  }

  private static String groupName(Path path, int gid) {
    try {
      return Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
          .group()
          .getName();
    } catch (IOException | UnsupportedOperationException e) {
      return "gid " + gid;
    }
  }

  private static String octal(int mode) {
    return String.format("%04o", mode & 07777);
  }

  /** The owner of /proc/self is this process's effective uid. */
  private static int effectiveUid() {
    try {
      return (int) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    } catch (IOException | UnsupportedOperationException | ClassCastException e) {
      return 0;
    }
  }
}
