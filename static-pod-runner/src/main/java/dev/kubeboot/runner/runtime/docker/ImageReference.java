package dev.kubeboot.runner.runtime.docker;

/**
 * An image name split the way the pull API wants it: without a tag the API pulls every tag of the
 * repository, so a reference with neither tag nor digest means {@code :latest}, as {@code docker
 * pull} does.
 *
 * @param repository e.g. "registry.k8s.io/etcd" (a digest reference keeps its "@sha256:...")
 * @param tag e.g. "3.5.21-0"; empty for a digest reference
 */
record ImageReference(String repository, String tag) {
  static ImageReference parse(String image) {
    if (image.contains("@")) {
      return new ImageReference(image, "");
    }
    int slash = image.lastIndexOf('/');
    int colon = image.lastIndexOf(':');
    if (colon > slash) {
      return new ImageReference(image.substring(0, colon), image.substring(colon + 1));
    }
    return new ImageReference(image, "latest");
  }

  @Override
  public String toString() {
    return tag.isEmpty() ? repository : repository + ":" + tag;
  }
}
