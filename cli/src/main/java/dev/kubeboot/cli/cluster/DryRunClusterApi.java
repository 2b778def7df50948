package dev.kubeboot.cli.cluster;

import dev.kubeboot.cli.output.Printer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.util.List;
import java.util.Optional;

/**
 * The dry run's API: says what would be written (kind, namespace, name; never the data, which may
 * be key material) and reads nothing, as on a cluster that does not exist yet.
 */
public final class DryRunClusterApi implements ClusterApi {
  private final Printer printer;
  private final String server;

  public DryRunClusterApi(Printer printer, String server) {
    this.printer = printer;
    this.server = server;
  }

  @Override
  public String server() {
    return server;
  }

  @Override
  public <T extends HasMetadata> Optional<T> get(Class<T> type, String namespace, String name) {
    return Optional.empty();
  }

  @Override
  public <T extends HasMetadata> T apply(T desired, Merge<T> merge) {
    printer.phase("dryrun", "Would create or update %s", ObjectRef.of(desired));
    return desired;
  }

  @Override
  public Node patchNode(String name, NodePatch patchFor) {
    Node node = new NodeBuilder().withNewMetadata().withName(name).endMetadata().build();
    patchFor
        .patchFor(node)
        .ifPresent(patch -> printer.phase("dryrun", "Would patch Node %s: %s", name, patch));
    return node;
  }

  @Override
  public <T extends HasMetadata> List<T> list(Class<T> type, String namespace) {
    return List.of();
  }

  @Override
  public boolean delete(Class<? extends HasMetadata> type, String namespace, String name) {
    printer.phase(
        "dryrun", "Would delete %s", new ObjectRef(type.getSimpleName(), namespace, name));
    return true;
  }

  @Override
  public void close() {}
}
