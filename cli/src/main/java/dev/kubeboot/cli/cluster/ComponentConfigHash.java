package dev.kubeboot.cli.cluster;

import io.fabric8.kubernetes.api.model.ConfigMap;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * kubeadm's signature of a component-config ConfigMap it generated (componentconfigs/checksums):
 * annotation {@code kubeadm.kubernetes.io/component-config.hash} = {@code sha256:} and the hex
 * SHA-256 of the {@code data} values in key order, then the {@code binaryData} values in key order,
 * with no separators and no keys. kubeadm upgrade replaces a signed ConfigMap and keeps a user's
 * edits to an unsigned one.
 */
public final class ComponentConfigHash {
  public static final String ANNOTATION = "kubeadm.kubernetes.io/component-config.hash";

  private ComponentConfigHash() {}

  public static String of(ConfigMap configMap) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String value : sorted(configMap.getData()).values()) {
        sha.update(value.getBytes(StandardCharsets.UTF_8));
      }
      for (String value : sorted(configMap.getBinaryData()).values()) {
        sha.update(Base64.getDecoder().decode(value));
      }
      return "sha256:" + HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /** {@code configMap} with its signature annotation set. */
  public static ConfigMap sign(ConfigMap configMap) {
    Map<String, String> annotations =
        configMap.getMetadata().getAnnotations() == null
            ? new TreeMap<>()
            : new TreeMap<>(configMap.getMetadata().getAnnotations());
    annotations.put(ANNOTATION, of(configMap));
    configMap.getMetadata().setAnnotations(annotations);
    return configMap;
  }

  private static Map<String, String> sorted(Map<String, String> map) {
    return map == null ? Map.of() : new TreeMap<>(map);
  }
}
