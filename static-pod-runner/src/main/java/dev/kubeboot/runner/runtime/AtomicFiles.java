package dev.kubeboot.runner.runtime;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes through a dot-prefixed temp file and a rename, so a reader sees the old or the new file,
 * never a part.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /**
   * @param durable fsync before the rename. Pid files skip it: they describe processes, which a
   *     power loss kills too, so surviving one buys nothing, while the fsync (5-15 ms here) would
   *     double the time from crash to restart. The rename alone keeps them whole across a runner
   *     crash.
   */
  public static void write(
      Path target, byte[] content, Set<PosixFilePermission> permissions, boolean durable)
      throws IOException {
    // One writer per target at a time, so a fixed temp name is enough; one left by a crash is
    // reused.
    Path temp = target.resolveSibling("." + target.getFileName() + ".tmp");
    try {
      try (FileChannel channel =
          FileChannel.open(
              temp,
              Set.of(
                  StandardOpenOption.CREATE,
                  StandardOpenOption.TRUNCATE_EXISTING,
                  StandardOpenOption.WRITE),
              PosixFilePermissions.asFileAttribute(permissions))) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        if (durable) {
          channel.force(true);
        }
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
