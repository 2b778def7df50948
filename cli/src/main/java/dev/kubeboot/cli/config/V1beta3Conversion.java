package dev.kubeboot.cli.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Turns a {@code kubeadm.k8s.io/v1beta3} document into its {@code v1beta4} shape once, where it is
 * read, so that one decoder reads both (kubeadm's v1beta3 conversion functions): every {@code
 * extraArgs} map becomes a list of {@code {name, value}} sorted by name, and {@code
 * apiServer.timeoutForControlPlane} leaves the ClusterConfiguration (it moves to {@code
 * InitConfiguration.timeouts.controlPlaneComponentHealthCheck}). The nodes keep their positions, so
 * errors still name the line of the file.
 */
final class V1beta3Conversion {
  private final Problems problems;

  V1beta3Conversion(Problems problems) {
    this.problems = problems;
  }

  /** A converted ClusterConfiguration and the timeout it carried, if any. */
  record Cluster(MappingNode document, Optional<Node> timeoutForControlPlane) {}

  MappingNode initConfiguration(MappingNode document) {
    child(document, "nodeRegistration")
        .ifPresent(n -> extraArgs(n, "InitConfiguration.nodeRegistration", "kubeletExtraArgs"));
    return document;
  }

  MappingNode joinConfiguration(MappingNode document) {
    child(document, "nodeRegistration")
        .ifPresent(n -> extraArgs(n, "JoinConfiguration.nodeRegistration", "kubeletExtraArgs"));
    return document;
  }

  Cluster clusterConfiguration(MappingNode document) {
    String path = "ClusterConfiguration";
    Optional<Node> timeout = Optional.empty();
    Optional<MappingNode> apiServer = child(document, "apiServer");
    if (apiServer.isPresent()) {
      extraArgs(apiServer.get(), path + ".apiServer", "extraArgs");
      timeout = remove(apiServer.get(), "timeoutForControlPlane");
    }
    for (String component : List.of("controllerManager", "scheduler")) {
      child(document, component).ifPresent(c -> extraArgs(c, path + "." + component, "extraArgs"));
    }
    child(document, "etcd")
        .flatMap(e -> child(e, "local"))
        .ifPresent(l -> extraArgs(l, path + ".etcd.local", "extraArgs"));
    return new Cluster(document, timeout);
  }

  /** Replaces a map of flag names to values by the v1beta4 list, sorted by name as kubeadm does. */
  private void extraArgs(MappingNode parent, String parentPath, String key) {
    List<NodeTuple> tuples = parent.getValue();
    for (int i = 0; i < tuples.size(); i++) {
      NodeTuple tuple = tuples.get(i);
      if (!(tuple.getKeyNode() instanceof ScalarNode k) || !k.getValue().equals(key)) {
        continue;
      }
      Node value = tuple.getValueNode();
      String path = parentPath + "." + key;
      if (YamlNodes.isNull(value)) {
        return;
      }
      if (!(value instanceof MappingNode map)) {
        problems.at(
            value,
            path,
            "expected a mapping of flag names to values (v1beta3), got "
                + YamlNodes.describe(value));
        tuples.set(i, new NodeTuple(k, new SequenceNode(Tag.SEQ, List.of(), flow())));
        return;
      }
      List<NodeTuple> args = new ArrayList<>(map.getValue());
      args.removeIf(t -> !(t.getKeyNode() instanceof ScalarNode));
      args.sort(Comparator.comparing(t -> ((ScalarNode) t.getKeyNode()).getValue()));
      List<Node> items = new ArrayList<>();
      for (NodeTuple arg : args) {
        ScalarNode name = (ScalarNode) arg.getKeyNode();
        Node argValue = arg.getValueNode();
        if (!(argValue instanceof ScalarNode)) {
          problems.at(
              argValue,
              path + "." + name.getValue(),
              "expected a string, got " + YamlNodes.describe(argValue));
          continue;
        }
        Node text =
            YamlNodes.isNull(argValue)
                ? new ScalarNode(
                    Tag.STR, "", argValue.getStartMark(), argValue.getEndMark(), plain())
                : argValue;
        items.add(
            new MappingNode(
                Tag.MAP,
                List.of(
                    new NodeTuple(scalar("name", name), name),
                    new NodeTuple(scalar("value", name), retag(text))),
                flow()));
      }
      tuples.set(i, new NodeTuple(k, new SequenceNode(Tag.SEQ, items, flow())));
      return;
    }
  }

  /** v1beta3 values are strings whatever they look like ({@code v: 2}). */
  private static Node retag(Node value) {
    ScalarNode s = (ScalarNode) value;
    return new ScalarNode(Tag.STR, s.getValue(), s.getStartMark(), s.getEndMark(), plain());
  }

  private static ScalarNode scalar(String text, Node at) {
    return new ScalarNode(Tag.STR, text, at.getStartMark(), at.getEndMark(), plain());
  }

  private static Optional<MappingNode> child(MappingNode parent, String key) {
    for (NodeTuple t : parent.getValue()) {
      if (t.getKeyNode() instanceof ScalarNode k
          && k.getValue().equals(key)
          && t.getValueNode() instanceof MappingNode m) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }

  private static Optional<Node> remove(MappingNode parent, String key) {
    List<NodeTuple> tuples = parent.getValue();
    for (int i = 0; i < tuples.size(); i++) {
      if (tuples.get(i).getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
        Node value = tuples.get(i).getValueNode();
        tuples.remove(i);
        return YamlNodes.isNull(value) ? Optional.empty() : Optional.of(value);
      }
    }
    return Optional.empty();
  }

  private static DumperOptions.ScalarStyle plain() {
    return DumperOptions.ScalarStyle.PLAIN;
  }

  private static DumperOptions.FlowStyle flow() {
    return DumperOptions.FlowStyle.BLOCK;
  }
}
