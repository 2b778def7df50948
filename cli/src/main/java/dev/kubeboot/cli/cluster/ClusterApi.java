package dev.kubeboot.cli.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import java.util.List;
import java.util.Optional;

/**
 * What the API-side phases and the token commands ask of the API server. The real one ({@link
 * Fabric8ClusterApi}) retries while the API server settles; the dry run ({@link DryRunClusterApi})
 * only says what it would write, so no phase looks at a dry-run flag. Every write is idempotent: a
 * rerun updates what an earlier run created.
 */
public interface ClusterApi extends AutoCloseable {
  /** The API server's URL, for messages. */
  String server();

  /** The object, or empty when there is none. */
  <T extends HasMetadata> Optional<T> get(Class<T> type, String namespace, String name)
      throws ApiRequestException, InterruptedException;

  /**
   * Creates {@code desired}, or when it exists replaces it with {@code merge(current, desired)}.
   *
   * @return the object as stored
   */
  <T extends HasMetadata> T apply(T desired, Merge<T> merge)
      throws ApiRequestException, InterruptedException;

  /** Creates {@code desired} or replaces an existing object with it (kubeadm's CreateOrUpdate). */
  default <T extends HasMetadata> T createOrUpdate(T desired)
      throws ApiRequestException, InterruptedException {
    return apply(desired, (current, wanted) -> wanted);
  }

  /**
   * Patches a Node once it is registered (the runner registers it through kubelet.conf), waiting
   * for it up to the API call timeout. {@code patchFor} makes a JSON patch (RFC 6902) from the Node
   * as read, or nothing when it needs none; it is asked again after a conflict.
   *
   * @return the Node as patched
   */
  Node patchNode(String name, NodePatch patchFor) throws ApiRequestException, InterruptedException;

  /** Every object of a type in a namespace. */
  <T extends HasMetadata> List<T> list(Class<T> type, String namespace)
      throws ApiRequestException, InterruptedException;

  /** Deletes an object; false when there was none. */
  boolean delete(Class<? extends HasMetadata> type, String namespace, String name)
      throws ApiRequestException, InterruptedException;

  @Override
  void close();

  /** The JSON patch a Node needs, if any. */
  @FunctionalInterface
  interface NodePatch {
    java.util.Optional<String> patchFor(Node current);
  }

  /** How an existing object and the desired one become the object to store. */
  @FunctionalInterface
  interface Merge<T> {
    T merge(T current, T desired);
  }
}
