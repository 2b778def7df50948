package dev.kubeboot.runner.network;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.kubeboot.runner.fs.AtomicWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * kubeboot's own pod network for a node's pod CIDR: the reference plugins' bridge on {@value
 * #BRIDGE} with host-local IPAM over the CIDR (one range per family) and a default route through
 * the bridge, then portmap for hostPorts. What reaches beyond the bridge (Docker's FORWARD policy,
 * masquerading) is the node's part ({@link NodeFirewall}), set once instead of per pod.
 */
public final class BridgeNetwork {
  public static final String NAME = "kubeboot";
  public static final String BRIDGE = "kubeboot0";

  /** Sorts before other tools' configs, so a runtime that takes the first one takes this one. */
  public static final String FILE_NAME = "00-kubeboot.conflist";

  private BridgeNetwork() {}

  /**
   * The configuration list as JSON.
   *
   * @param cniVersion "1.0.0" where the plugins speak it, else "0.4.0"
   */
  public static String conflist(List<Cidr> podCidrs, String cniVersion) {
    if (podCidrs.isEmpty()) {
      throw new IllegalArgumentException("a bridge network needs at least one pod CIDR");
    }
    Map<String, Object> ipam = new LinkedHashMap<>();
    ipam.put("type", "host-local");
    ipam.put(
        "ranges", podCidrs.stream().map(c -> List.of(Map.of("subnet", c.toString()))).toList());
    ipam.put(
        "routes",
        podCidrs.stream().map(c -> Map.of("dst", c.isIpv4() ? "0.0.0.0/0" : "::/0")).toList());
    Map<String, Object> bridge = new LinkedHashMap<>();
    bridge.put("type", "bridge");
    bridge.put("bridge", BRIDGE);
    bridge.put("isGateway", true);
    bridge.put("ipMasq", false);
    bridge.put("hairpinMode", true);
    bridge.put("ipam", ipam);
    Map<String, Object> portmap = new LinkedHashMap<>();
    portmap.put("type", "portmap");
    portmap.put("capabilities", Map.of("portMappings", true));
    Map<String, Object> list = new LinkedHashMap<>();
    list.put("cniVersion", cniVersion);
    list.put("name", NAME);
    list.put("plugins", List.of(bridge, portmap));
    try {
      return JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT).asString(list) + "\n";
    } catch (IOException e) {
      throw new IllegalStateException("maps of strings always write", e);
    }
  }

  /**
   * Writes {@link #FILE_NAME} into {@code dir} unless it already holds exactly this content.
   *
   * @return the file
   */
  public static Path write(Path dir, String conflist) throws IOException {
    Path file = dir.resolve(FILE_NAME);
    try {
      if (Files.readString(file, StandardCharsets.UTF_8).equals(conflist)) {
        return file;
      }
    } catch (NoSuchFileException absent) {
      // Written below.
    }
    Files.createDirectories(dir);
    AtomicWriter.write(
        file,
        conflist.getBytes(StandardCharsets.UTF_8),
        PosixFilePermissions.fromString("rw-r--r--"),
        AtomicWriter.Durability.SYNCED);
    return file;
  }
}
