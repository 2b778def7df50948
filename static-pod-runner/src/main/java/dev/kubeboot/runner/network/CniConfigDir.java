package dev.kubeboot.runner.network;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The CNI configuration directory as the kubelet reads it ({@code --cni-conf-dir}, default {@code
 * /etc/cni/net.d}): files ending in {@code .conf}, {@code .conflist} or {@code .json}, in name
 * order; the first one that is valid is the pod network, invalid ones are passed over. Dotfiles are
 * skipped (editors' and atomic writers' temporary files).
 */
public final class CniConfigDir {
  private static final List<String> EXTENSIONS = List.of(".conf", ".conflist", ".json");

  /** A CNI config is at most this big; anything larger is not one. */
  static final long MAX_SIZE = 1024 * 1024;

  /**
   * What a look at the directory found.
   *
   * @param network the first valid configuration, if any
   * @param invalid the files passed over, each with why (they come before {@code network} or there
   *     is none)
   */
  public record Scan(Optional<NetworkConfigList> network, List<CniConfigException> invalid) {
    public Scan {
      invalid = List.copyOf(invalid);
    }
  }

  private CniConfigDir() {}

  /** Reads {@code dir}; a missing directory holds nothing. */
  public static Scan scan(Path dir) throws IOException {
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files =
          list.filter(f -> !f.getFileName().toString().startsWith("."))
              .filter(f -> EXTENSIONS.stream().anyMatch(f.getFileName().toString()::endsWith))
              .filter(Files::isRegularFile)
              .sorted()
              .toList();
    } catch (NoSuchFileException e) {
      return new Scan(Optional.empty(), List.of());
    }
    List<CniConfigException> invalid = new ArrayList<>();
    for (Path file : files) {
      try {
        return new Scan(Optional.of(read(file)), invalid);
      } catch (CniConfigException e) {
        invalid.add(e);
      }
    }
    return new Scan(Optional.empty(), invalid);
  }

  /** Reads one config file. */
  public static NetworkConfigList read(Path file) throws CniConfigException {
    try {
      if (Files.size(file) > MAX_SIZE) {
        throw new CniConfigException(
            file, "", "larger than " + MAX_SIZE / 1024 + " KiB: not a CNI config");
      }
      return NetworkConfigList.parse(file, Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new CniConfigException(file, "", "cannot be read: " + e.getMessage());
    }
  }
}
