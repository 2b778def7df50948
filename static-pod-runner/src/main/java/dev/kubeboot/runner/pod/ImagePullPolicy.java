package dev.kubeboot.runner.pod;

/** {@code imagePullPolicy}; defaulted from the image tag as the API server does. */
public enum ImagePullPolicy {
  ALWAYS,
  IF_NOT_PRESENT,
  NEVER
}
