package dev.kubeboot.runner.runtime.docker;

/**
 * The labels a container carries: the kubelet's docker-era ones (dockershim / cri-dockerd), so
 * {@code docker ps --filter label=io.kubernetes.pod.name=...} works as on a kubelet node, plus
 * kubeboot's ownership label, the only one listing and clean-up trust.
 */
final class DockerLabels {
  static final String MANAGED = "dev.kubeboot.managed";
  static final String POD_NAME = "io.kubernetes.pod.name";
  static final String POD_NAMESPACE = "io.kubernetes.pod.namespace";
  static final String POD_UID = "io.kubernetes.pod.uid";
  static final String CONTAINER_NAME = "io.kubernetes.container.name";
  static final String DOCKER_TYPE = "io.kubernetes.docker.type";
  static final String TYPE_CONTAINER = "container";
  static final String TYPE_SANDBOX = "podsandbox";

  /** The sandbox's container name label value: dockershim's "POD". */
  static final String SANDBOX_CONTAINER_NAME = "POD";

  static final String SANDBOX_ID = "io.kubernetes.sandbox.id";
  static final String CONTAINER_HASH = "annotation.io.kubernetes.container.hash";
  static final String RESTART_COUNT = "annotation.io.kubernetes.container.restartCount";
  static final String GRACE_PERIOD = "annotation.io.kubernetes.pod.terminationGracePeriod";

  private DockerLabels() {}

  /** The kubelet's container name: {@code k8s_<container>_<pod>_<namespace>_<uid>_<attempt>}. */
  static String containerName(
      String container, String pod, String namespace, String podUid, int attempt) {
    return String.join("_", "k8s", container, pod, namespace, podUid, Integer.toString(attempt));
  }
}
