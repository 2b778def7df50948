package dev.kubeboot.runner.mirror;

import dev.kubeboot.runner.pod.PodKey;
import dev.kubeboot.runner.pod.StaticPod;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What a mirror pod is: how one is made from a static pod, and how one is recognised. */
final class MirrorPods {
  static final String CONFIG_MIRROR = "kubernetes.io/config.mirror";
  static final String CONFIG_HASH = "kubernetes.io/config.hash";

  private MirrorPods() {}

  /**
   * The mirror of {@code pod} on {@code node}: the static pod's own metadata (suffixed name,
   * labels, every annotation) plus {@code kubernetes.io/config.mirror} = the config hash, the Node
   * as its controlling owner, and the spec bound to the node. The API server gives it its own UID.
   */
  static Pod mirrorOf(StaticPod pod, Node node, KubernetesSerialization serialization) {
    Pod mirror = serialization.convertValue(pod.object(), Pod.class);
    ObjectMeta meta = mirror.getMetadata();
    meta.setUid(null);
    meta.setResourceVersion(null);
    meta.setCreationTimestamp(null);
    meta.setDeletionTimestamp(null);
    meta.setDeletionGracePeriodSeconds(null);
    meta.setGeneration(null);
    meta.setManagedFields(null);
    meta.setSelfLink(null);
    Map<String, String> annotations =
        new LinkedHashMap<>(meta.getAnnotations() == null ? Map.of() : meta.getAnnotations());
    annotations.put(CONFIG_MIRROR, pod.uid());
    meta.setAnnotations(annotations);
    meta.setOwnerReferences(List.of(ownerReference(node)));
    mirror.getSpec().setNodeName(node.getMetadata().getName());
    mirror.setStatus(null);
    return mirror;
  }

  static OwnerReference ownerReference(Node node) {
    return new OwnerReferenceBuilder()
        .withApiVersion("v1")
        .withKind("Node")
        .withName(node.getMetadata().getName())
        .withUid(node.getMetadata().getUid())
        .withController(true)
        .build();
  }

  /** The config hash a mirror claims to show, if {@code pod} is a mirror pod at all. */
  static Optional<String> mirrorHash(Pod pod) {
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    return Optional.ofNullable(annotations == null ? null : annotations.get(CONFIG_MIRROR));
  }

  static boolean isMirror(Pod pod) {
    return mirrorHash(pod).isPresent();
  }

  /**
   * Whether {@code mirror} still shows {@code pod} as the kubelet requires: the same config hash,
   * not being deleted, owned by this incarnation of the Node.
   */
  static boolean isMirrorOf(Pod mirror, StaticPod pod, Node node) {
    return mirrorHash(mirror).filter(pod.uid()::equals).isPresent()
        && mirror.getMetadata().getDeletionTimestamp() == null
        && ownedBy(mirror, node);
  }

  private static boolean ownedBy(Pod mirror, Node node) {
    List<OwnerReference> owners = mirror.getMetadata().getOwnerReferences();
    return owners != null
        && owners.stream()
            .anyMatch(
                o ->
                    "Node".equals(o.getKind())
                        && node.getMetadata().getName().equals(o.getName())
                        && node.getMetadata().getUid().equals(o.getUid()));
  }

  static PodKey key(Pod pod) {
    String namespace = pod.getMetadata().getNamespace();
    return new PodKey(namespace == null ? "default" : namespace, pod.getMetadata().getName());
  }
}
