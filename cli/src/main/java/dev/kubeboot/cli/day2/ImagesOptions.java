package dev.kubeboot.cli.day2;

import dev.kubeboot.cli.CliContext;
import dev.kubeboot.cli.UsageException;
import dev.kubeboot.cli.config.ConfigException;
import dev.kubeboot.cli.config.ConfigReader;
import dev.kubeboot.cli.config.InitConfigLoader;
import dev.kubeboot.cli.config.InitFlags;
import dev.kubeboot.cli.config.KubeadmConfig;
import dev.kubeboot.cli.config.NodePaths;
import dev.kubeboot.cli.init.ConfigMapping;
import dev.kubeboot.cli.init.InitSession;
import dev.kubeboot.pki.IpLiterals;
import dev.kubeboot.templates.ControlPlaneImages;
import dev.kubeboot.templates.InvalidInputException;
import java.net.InetAddress;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The flags kubeadm's {@code config images} commands share: what decides the images. */
final class ImagesOptions {
  /**
   * Stands for the advertise address, which no image depends on: nothing is detected on this host
   * for a list of images (kubeadm's placeholder address of init-defaults).
   */
  private static final InetAddress NO_ADDRESS = IpLiterals.parse("1.2.3.4").orElseThrow();

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Path to a kubeadm configuration file (kubeadm.k8s.io/v1beta4 or v1beta3).")
  Path config;

  @Option(
      names = "--kubernetes-version",
      paramLabel = "VERSION",
      description =
          "Choose a specific Kubernetes version for the control plane, v1.31 to v1.34 (default:"
              + " the config's, else the newest v1.34 patch kubeboot knows).")
  String kubernetesVersion;

  @Option(
      names = "--image-repository",
      paramLabel = "REPO",
      description =
          "Choose a container registry to pull control plane images from (default"
              + " registry.k8s.io).")
  String imageRepository;

  /** The configuration these flags and the file describe, defaulted and validated as init's. */
  KubeadmConfig load(CliContext context) throws UsageException {
    try {
      KubeadmConfig read = config == null ? KubeadmConfig.empty() : new ConfigReader().read(config);
      InitFlags flags =
          new InitFlags(
              kubernetesVersion,
              null,
              null,
              null,
              null,
              null,
              null,
              null,
              null,
              imageRepository,
              null);
      KubeadmConfig resolved =
          new InitConfigLoader(NodePaths.standard(), InitSession::hostname, () -> NO_ADDRESS)
              .resolve(read, flags);
      resolved.warnings().forEach(w -> context.err().println("W " + w));
      context.err().flush();
      return resolved;
    } catch (ConfigException | InvalidInputException e) {
      throw new UsageException(e.getMessage(), e);
    }
  }

  ControlPlaneImages images(CliContext context) throws UsageException {
    return ConfigMapping.controlPlaneImages(load(context));
  }
}
