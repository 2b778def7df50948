package dev.kubeboot.cli.join;

import dev.kubeboot.cli.init.InitOptions;
import dev.kubeboot.cli.init.NodeFlags;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * kubeadm join's flags (where kubeboot uses them) plus init's node flags; shared by join and join
 * phase. Each is null or empty when not given, so that a JoinConfiguration value stays.
 */
public final class JoinOptions {
  @Parameters(
      arity = "0..1",
      paramLabel = "API_SERVER_ENDPOINT",
      description = "host:port of the cluster's API server (its control-plane endpoint).")
  String endpoint;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Path to a JoinConfiguration file (kubeadm.k8s.io/v1beta4 or v1beta3).")
  Path config;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      description = "Use this token for both discovery-token and tls-bootstrap-token.")
  String token;

  @Option(
      names = "--discovery-token",
      paramLabel = "TOKEN",
      description = "The token to validate the cluster information fetched from the API server.")
  String discoveryToken;

  @Option(
      names = "--discovery-token-ca-cert-hash",
      split = ",",
      paramLabel = "sha256:HASH",
      description =
          "The CA's public key pin, sha256:<hex> (kubeboot init prints it); may be repeated.")
  List<String> caCertHashes = new ArrayList<>();

  @Option(
      names = "--discovery-token-unsafe-skip-ca-verification",
      description = "Trust the cluster's CA without pinning it (not recommended).")
  boolean unsafeSkipCaVerification;

  @Option(
      names = "--discovery-file",
      paramLabel = "FILE",
      description =
          "A kubeconfig holding the cluster's server and CA, brought by a trusted channel.")
  Path discoveryFile;

  @Option(
      names = "--control-plane",
      description = "Create a new control plane instance on this node.")
  boolean controlPlane;

  @Option(
      names = "--certificate-key",
      paramLabel = "KEY",
      description = "The key (64 hex characters) that decrypts the certificates init uploaded.")
  String certificateKey;

  @Option(
      names = "--apiserver-advertise-address",
      paramLabel = "IP",
      description =
          "The IP address this node's API server advertises; default: the address of the default-route interface.")
  String advertiseAddress;

  @Option(
      names = "--apiserver-bind-port",
      paramLabel = "PORT",
      description = "Port for this node's API server to bind to (default 6443).")
  Integer bindPort;

  @Option(
      names = "--node-name",
      paramLabel = "NAME",
      description = "The node name (default: the host name, lower-cased).")
  String nodeName;

  @Mixin NodeFlags node = new NodeFlags();

  /** The options of this node as init's phases take them. */
  InitOptions nodeOptions(boolean dryRunFromConfig) {
    return InitOptions.forJoiningNode(node, dryRunFromConfig);
  }

  public boolean dryRun() {
    return nodeOptions(false).dryRun();
  }

  public Path kubernetesDirOrDefault() {
    return nodeOptions(false).kubernetesDirOrDefault();
  }
}
