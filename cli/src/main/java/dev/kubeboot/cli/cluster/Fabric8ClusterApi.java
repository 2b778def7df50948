package dev.kubeboot.cli.cluster;

import dev.kubeboot.cli.cluster.ApiRetry.Outcome;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** {@link ClusterApi} over a fabric8 client, every request through {@link ApiRetry}. */
public final class Fabric8ClusterApi implements ClusterApi {
  private final KubernetesClient client;
  private final ApiRetry retry;

  public Fabric8ClusterApi(KubernetesClient client, ApiRetry retry) {
    this.client = Objects.requireNonNull(client, "client");
    this.retry = Objects.requireNonNull(retry, "retry");
  }

  @Override
  public String server() {
    return client.getMasterUrl().toString();
  }

  @Override
  public <T extends HasMetadata> Optional<T> get(Class<T> type, String namespace, String name)
      throws ApiRequestException, InterruptedException {
    return Optional.ofNullable(
        retry.run(
            "get " + new ObjectRef(type.getSimpleName(), namespace, name),
            ApiRetry::transientOnly,
            () -> resource(type, namespace, name).get()));
  }

  @Override
  public <T extends HasMetadata> T apply(T desired, Merge<T> merge)
      throws ApiRequestException, InterruptedException {
    ObjectRef ref = ObjectRef.of(desired);
    @SuppressWarnings("unchecked")
    Class<T> type = (Class<T>) desired.getClass();
    // Read first, then create or update: a conflict (someone else wrote in between) or a
    // namespace the API server has not made yet is tried again from the read.
    return retry.run(
        "create or update " + ref,
        e -> e.getCode() == 404 ? Outcome.RETRY : ApiRetry.transientOnly(e),
        () -> {
          T current = resource(type, ref.namespace(), ref.name()).get();
          if (current == null) {
            return client.resource(desired).create();
          }
          T next = merge.merge(current, desired);
          next.getMetadata().setResourceVersion(current.getMetadata().getResourceVersion());
          return client.resource(next).update();
        });
  }

  @Override
  public Node patchNode(String name, NodePatch patchFor)
      throws ApiRequestException, InterruptedException {
    // Not registered yet (404) and a Node changed since it was read (409) are both tried again
    // from the read.
    return retry.run(
        "patch Node " + name,
        e -> e.getCode() == 404 ? Outcome.RETRY : ApiRetry.transientOnly(e),
        () -> {
          Node node = client.nodes().withName(name).get();
          if (node == null) {
            throw new KubernetesClientException(
                "node \"" + name + "\" is not registered yet", 404, null);
          }
          Optional<String> patch = patchFor.patchFor(node);
          if (patch.isEmpty()) {
            return node;
          }
          return client.nodes().withName(name).patch(PatchContext.of(PatchType.JSON), patch.get());
        });
  }

  @Override
  public <T extends HasMetadata> List<T> list(Class<T> type, String namespace)
      throws ApiRequestException, InterruptedException {
    return retry.run(
        "list " + type.getSimpleName() + " in " + namespace,
        ApiRetry::transientOnly,
        () -> client.resources(type).inNamespace(namespace).list().getItems());
  }

  @Override
  public boolean delete(Class<? extends HasMetadata> type, String namespace, String name)
      throws ApiRequestException, InterruptedException {
    return retry.run(
        "delete " + new ObjectRef(type.getSimpleName(), namespace, name),
        ApiRetry::transientOnly,
        () -> !resource(type, namespace, name).delete().isEmpty());
  }

  private <T extends HasMetadata> Resource<T> resource(
      Class<T> type, String namespace, String name) {
    return namespace == null || namespace.isEmpty()
        ? client.resources(type).withName(name)
        : client.resources(type).inNamespace(namespace).withName(name);
  }

  @Override
  public void close() {
    client.close();
  }
}
