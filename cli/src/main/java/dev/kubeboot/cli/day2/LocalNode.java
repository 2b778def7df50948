package dev.kubeboot.cli.day2;

import dev.kubeboot.cli.KubebootException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * This node's own part of the configuration, where kubeadm finds it on a running node: the node
 * name in kubelet.conf's client certificate ({@code system:node:<name>}), the advertise address and
 * port in the live kube-apiserver manifest's {@code kube-apiserver.advertise-address.endpoint}
 * annotation. The cluster's kubeadm-config holds only the shared ClusterConfiguration, so an
 * upgrade that renders from it takes these from here.
 */
record LocalNode(String nodeName, String advertiseAddress, int bindPort) {
  static final String ENDPOINT_ANNOTATION =
      "kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint";
  private static final String NODE_USER = "system:node:";

  /**
   * @throws KubebootException naming the file and the missing field
   */
  static LocalNode read(Path manifest, Path kubeletConf) throws KubebootException {
    Object doc;
    try {
      doc =
          new Yaml(new SafeConstructor(new LoaderOptions()))
              .load(Files.readString(manifest, StandardCharsets.UTF_8));
    } catch (IOException | RuntimeException e) {
      throw new KubebootException("cannot read " + manifest + ": " + e.getMessage(), e);
    }
    if (!(doc instanceof Map<?, ?> pod && pod.get("metadata") instanceof Map<?, ?> metadata)) {
      throw new KubebootException(manifest + " is not a Pod manifest (no metadata)");
    }
    if (!(metadata.get("annotations") instanceof Map<?, ?> annotations
        && annotations.get(ENDPOINT_ANNOTATION) instanceof String endpoint)) {
      throw new KubebootException(
          manifest
              + ": metadata.annotations has no "
              + ENDPOINT_ANNOTATION
              + ", so this node's advertise address is unknown; pass --config");
    }
    int colon = endpoint.lastIndexOf(':');
    int port;
    try {
      port = Integer.parseInt(endpoint.substring(colon + 1));
    } catch (NumberFormatException | IndexOutOfBoundsException e) {
      throw new KubebootException(
          manifest + ": " + ENDPOINT_ANNOTATION + " \"" + endpoint + "\" is not address:port", e);
    }
    String address = endpoint.substring(0, Math.max(colon, 0)).replaceAll("^\\[|\\]$", "");
    if (colon <= 0 || port < 1 || port > 65535) {
      throw new KubebootException(
          manifest + ": " + ENDPOINT_ANNOTATION + " \"" + endpoint + "\" is not address:port");
    }
    return new LocalNode(nodeName(kubeletConf), address, port);
  }

  /** This node's name from kubelet.conf; empty when the file is gone or names no node. */
  static java.util.Optional<String> nodeNameIfKnown(Path kubeletConf) {
    if (!Files.isRegularFile(kubeletConf)) {
      return java.util.Optional.empty();
    }
    try {
      return java.util.Optional.of(nodeName(kubeletConf));
    } catch (KubebootException e) {
      return java.util.Optional.empty();
    }
  }

  private static String nodeName(Path kubeletConf) throws KubebootException {
    byte[] content;
    try {
      content = Files.readAllBytes(kubeletConf);
    } catch (IOException e) {
      throw new KubebootException(
          "cannot read "
              + kubeletConf
              + " ("
              + e.getMessage()
              + "), whose client certificate names this node; pass --config",
          e);
    }
    String user =
        CertificateRenewal.specOf(KubeconfigCredentials.parse(kubeletConf, content).certificate())
            .commonName();
    if (!user.startsWith(NODE_USER) || user.length() == NODE_USER.length()) {
      throw new KubebootException(
          kubeletConf
              + ": the client certificate is for \""
              + user
              + "\", not system:node:<node name>, so this node's name is unknown; pass --config");
    }
    return user.substring(NODE_USER.length());
  }

  /** An InitConfiguration document with this node's part, for the config reader. */
  String initConfiguration() {
    Map<String, Object> doc =
        Map.of(
            "apiVersion",
            "kubeadm.k8s.io/v1beta4",
            "kind",
            "InitConfiguration",
            "localAPIEndpoint",
            Map.of("advertiseAddress", advertiseAddress, "bindPort", bindPort),
            "nodeRegistration",
            Map.of("name", nodeName));
    return new Yaml().dump(doc);
  }
}
