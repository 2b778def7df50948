package dev.kubeboot.cli.day2;

import dev.kubeboot.cli.KubebootException;
import dev.kubeboot.cli.cluster.ClusterApi;
import dev.kubeboot.cli.cluster.ClusterClients;
import dev.kubeboot.cli.output.Printer;
import io.fabric8.kubernetes.api.model.Node;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * The Node object of a control-plane node that reset took out of its cluster. A failure only warns:
 * the node's files must still go, and the object can be deleted later with kubectl.
 */
final class NodeRemoval {
  /** The cluster lives on through the other control-plane nodes, which answer at once. */
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private NodeRemoval() {}

  static void delete(Path adminConf, String nodeName, Printer printer) {
    try (ClusterApi api = ClusterClients.open(adminConf, TIMEOUT, Clock.systemUTC())) {
      boolean deleted = api.delete(Node.class, null, nodeName);
      printer.phase(
          "reset",
          deleted ? "Deleted the Node object %s" : "The Node object %s was already gone",
          nodeName);
    } catch (KubebootException e) {
      printer.phase(
          "reset",
          "WARNING: could not delete the Node object %s (%s); delete it with kubectl delete node"
              + " %s",
          nodeName,
          e.getMessage(),
          nodeName);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      printer.phase("reset", "WARNING: interrupted before deleting the Node object %s", nodeName);
    }
  }
}
