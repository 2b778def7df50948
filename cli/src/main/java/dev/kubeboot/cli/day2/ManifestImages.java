package dev.kubeboot.cli.day2;

import dev.kubeboot.cli.KubebootException;
import dev.kubeboot.templates.InvalidInputException;
import dev.kubeboot.templates.KubernetesVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The images a static pod manifest names, and the Kubernetes version the control plane runs. */
final class ManifestImages {
  private ManifestImages() {}

  /** The first container's image of a manifest; empty when the text names none. */
  static Optional<String> image(byte[] manifest) {
    Object doc;
    try {
      doc =
          new Yaml(new SafeConstructor(new LoaderOptions()))
              .load(new String(manifest, StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
    if (doc instanceof Map<?, ?> pod
        && pod.get("spec") instanceof Map<?, ?> spec
        && spec.get("containers") instanceof List<?> containers
        && !containers.isEmpty()
        && containers.getFirst() instanceof Map<?, ?> container
        && container.get("image") instanceof String image) {
      return Optional.of(image);
    }
    return Optional.empty();
  }

  /** The tag of {@code registry.k8s.io/kube-apiserver:v1.34.2}; empty for a digest or no tag. */
  static Optional<String> tag(String image) {
    if (image.contains("@")) {
      return Optional.empty();
    }
    int slash = image.lastIndexOf('/');
    int colon = image.lastIndexOf(':');
    return colon > slash ? Optional.of(image.substring(colon + 1)) : Optional.empty();
  }

  /**
   * The version the control plane runs, as kube-apiserver's manifest names it (kubeadm asks the API
   * server; the manifest is what this node will run).
   *
   * @throws KubebootException naming the manifest when it is missing or names no version
   */
  static KubernetesVersion clusterVersion(Path apiserverManifest) throws KubebootException {
    byte[] content;
    try {
      content = Files.readAllBytes(apiserverManifest);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new KubebootException(
          "there is no kube-apiserver manifest at "
              + apiserverManifest
              + ": upgrade works on a control-plane node made by kubeboot init; pass its"
              + " --kubernetes-dir",
          e);
    } catch (IOException e) {
      throw new KubebootException("cannot read " + apiserverManifest + ": " + e.getMessage(), e);
    }
    String image =
        image(content)
            .orElseThrow(
                () ->
                    new KubebootException(
                        apiserverManifest
                            + " names no container image (spec.containers[0].image): restore the"
                            + " manifest init wrote, e.g. with kubeboot manifests"));
    String tag =
        tag(image)
            .orElseThrow(
                () ->
                    new KubebootException(
                        apiserverManifest
                            + ": the image \""
                            + image
                            + "\" has no version tag, so the running version is unknown"));
    try {
      return KubernetesVersion.parse(tag.replace('_', '+'));
    } catch (InvalidInputException e) {
      throw new KubebootException(
          apiserverManifest
              + ": the image tag \""
              + tag
              + "\" of spec.containers[0].image is not a Kubernetes version",
          e);
    }
  }
}
