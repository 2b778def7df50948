package dev.kubeboot.runner.runtime;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.util.ArrayList;
import java.util.List;

/**
 * Recursive deletes of the directories a runtime made for a pod (emptyDirs, pod dirs), which a
 * container running as another user may own and change while the runner deletes them.
 *
 * <p>Every step works relative to an open directory ({@link SecureDirectoryStream}: openat and
 * unlinkat with no-follow) from {@code root} down, so a symlink, planted before or swapped in
 * during the walk, is removed as a link and never followed: nothing outside the tree is touched.
 */
public final class DirectoryTrees {
  private DirectoryTrees() {}

  /**
   * Deletes {@code tree} and everything below it; a missing tree is not an error.
   *
   * @param root a directory the runner owns: the walk starts there, and {@code tree} must be below
   *     it
   * @throws IllegalArgumentException {@code tree} is not below {@code root}
   * @throws IOException a file could not be deleted, or a path element turned into a link
   */
  public static void delete(Path root, Path tree) throws IOException {
    Path base = root.toAbsolutePath().normalize();
    Path target = tree.toAbsolutePath().normalize();
    if (target.equals(base) || !target.startsWith(base)) {
      throw new IllegalArgumentException(
          "refusing to delete " + tree + ": it is not below " + root);
    }
    Path relative = base.relativize(target);
    DirectoryStream<Path> opened;
    try {
      opened = Files.newDirectoryStream(base);
    } catch (NoSuchFileException e) {
      return;
    }
    if (!(opened instanceof SecureDirectoryStream<Path> top)) {
      opened.close();
      throw new IOException(
          "cannot delete " + tree + " safely: this file system has no secure directory streams");
    }
    List<SecureDirectoryStream<Path>> chain = new ArrayList<>(List.of(top));
    try {
      SecureDirectoryStream<Path> dir = top;
      for (int i = 0; i < relative.getNameCount() - 1; i++) {
        try {
          dir = dir.newDirectoryStream(relative.getName(i), LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
          return;
        }
        chain.add(dir);
      }
      deleteEntry(dir, relative.getFileName());
    } finally {
      for (SecureDirectoryStream<Path> s : chain.reversed()) {
        s.close();
      }
    }
  }

  private static void deleteEntry(SecureDirectoryStream<Path> dir, Path name) throws IOException {
    boolean isDirectory;
    try {
      isDirectory =
          dir.getFileAttributeView(name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
              .readAttributes()
              .isDirectory();
    } catch (NoSuchFileException e) {
      return;
    }
    if (!isDirectory) {
      deleteFile(dir, name);
      return;
    }
    try (SecureDirectoryStream<Path> child =
        dir.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS)) {
      // Names first, deletes after: entries are not removed from under a running readdir.
      List<Path> entries = new ArrayList<>();
      for (Path entry : child) {
        entries.add(entry.getFileName());
      }
      for (Path entry : entries) {
        deleteEntry(child, entry);
      }
    } catch (NoSuchFileException e) {
      return;
    }
    try {
      dir.deleteDirectory(name);
    } catch (NoSuchFileException e) {
      // Gone already.
    }
  }

  private static void deleteFile(SecureDirectoryStream<Path> dir, Path name) throws IOException {
    try {
      dir.deleteFile(name);
    } catch (NoSuchFileException e) {
      // Gone already.
    }
  }
}
