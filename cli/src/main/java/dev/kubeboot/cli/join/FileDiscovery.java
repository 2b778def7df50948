package dev.kubeboot.cli.join;

import dev.kubeboot.cli.KubebootException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code --discovery-file}: the user brought the cluster's kubeconfig (server and CA data) by a
 * channel they trust, so it is taken as it is.
 */
public final class FileDiscovery {
  private FileDiscovery() {}

  public static DiscoveredCluster read(Path file) throws KubebootException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new KubebootException(
          "cannot read the discovery file " + file + ": " + e.getMessage(), e);
    }
    return DiscoveryKubeconfig.parse("the discovery file " + file, text);
  }
}
