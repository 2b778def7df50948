package dev.kubeboot.runner.fs;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.util.ArrayList;
import java.util.List;

/**
 * Empties a directory as kubeadm's CleanDir does (the directory itself stays: a package or a mount
 * may own it), but relative to open directory handles ({@code openat}/{@code unlinkat}) and never
 * through a link: a subdirectory someone swaps for a link to {@code /etc} mid-way makes the removal
 * fail, not follow it. A link inside is removed as a link.
 */
public final class DirectoryContents {
  private DirectoryContents() {}

  /**
   * Removes everything inside {@code dir}.
   *
   * @return how many files, links and directories were removed
   * @throws IOException something could not be removed (what was removed before stays removed), or
   *     the file system has no secure directory streams
   */
  public static int removeAll(Path dir) throws IOException {
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      if (!(stream instanceof SecureDirectoryStream<Path> secure)) {
        throw new IOException(
            "cannot empty "
                + dir
                + " safely: its file system offers no directory handles; empty it by hand");
      }
      return removeAll(secure);
    }
  }

  private static int removeAll(SecureDirectoryStream<Path> dir) throws IOException {
    List<Path> names = new ArrayList<>();
    for (Path entry : dir) {
      names.add(entry.getFileName());
    }
    int removed = 0;
    for (Path name : names) {
      boolean directory =
          dir.getFileAttributeView(name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
              .readAttributes()
              .isDirectory();
      if (directory) {
        try (SecureDirectoryStream<Path> sub =
            dir.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS)) {
          removed += removeAll(sub);
        }
        dir.deleteDirectory(name);
      } else {
        dir.deleteFile(name);
      }
      removed++;
    }
    return removed;
  }
}
