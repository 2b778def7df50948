package dev.kubeboot.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Manifests written as kubeboot writes them, a dot-prefixed temp file renamed into place: the
 * runner's directory watch never sees half a file.
 */
public final class ManifestFiles {
  private ManifestFiles() {}

  /** Writes {@code content} to {@code manifests/file}, creating the directory if needed. */
  public static void write(Path manifests, String file, String content) throws IOException {
    Files.createDirectories(manifests);
    Path temp = manifests.resolve("." + file + ".tmp");
    Files.writeString(temp, content);
    Files.move(temp, manifests.resolve(file), StandardCopyOption.ATOMIC_MOVE);
  }
}
