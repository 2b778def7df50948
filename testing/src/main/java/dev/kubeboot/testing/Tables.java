package dev.kubeboot.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Server-side tables ({@code meta.k8s.io/v1 Table}), what {@code kubectl get} prints. Pods, nodes
 * and namespaces get kube-apiserver's columns (NAME READY STATUS RESTARTS AGE for pods, with the
 * wide columns at priority 1); every other kind gets the generic NAME / CREATED AT.
 */
final class Tables {
  private record Column(String name, String type, String format, int priority) {}

  private static final List<Column> POD =
      List.of(
          new Column("Name", "string", "name", 0),
          new Column("Ready", "string", "", 0),
          new Column("Status", "string", "", 0),
          new Column("Restarts", "string", "", 0),
          new Column("Age", "string", "", 0),
          new Column("IP", "string", "", 1),
          new Column("Node", "string", "", 1),
          new Column("Nominated Node", "string", "", 1),
          new Column("Readiness Gates", "string", "", 1));
  private static final List<Column> NODE =
      List.of(
          new Column("Name", "string", "name", 0),
          new Column("Status", "string", "", 0),
          new Column("Roles", "string", "", 0),
          new Column("Age", "string", "", 0),
          new Column("Version", "string", "", 0),
          new Column("Internal-IP", "string", "", 1),
          new Column("External-IP", "string", "", 1),
          new Column("OS-Image", "string", "", 1),
          new Column("Kernel-Version", "string", "", 1),
          new Column("Container-Runtime", "string", "", 1));
  private static final List<Column> NAMESPACE =
      List.of(
          new Column("Name", "string", "name", 0),
          new Column("Status", "string", "", 0),
          new Column("Age", "string", "", 0));
  private static final List<Column> GENERIC =
      List.of(new Column("Name", "string", "name", 0), new Column("Created At", "date", "", 0));

  private final JsonMapper json;
  private final Clock clock;

  Tables(JsonMapper json, Clock clock) {
    this.json = json;
    this.clock = clock;
  }

  /** Whether an Accept header asks for a table, as kubectl get's does. */
  static boolean wanted(String accept) {
    return accept != null && accept.contains("as=Table");
  }

  /**
   * A table of a list or of one object. {@code includeObject} is the query parameter: {@code None},
   * {@code Object}, or (default) {@code Metadata}.
   */
  ObjectNode table(JsonNode listOrObject, String kind, String includeObject) {
    ObjectNode table =
        json.createObjectNode().put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
    ObjectNode metadata = table.putObject("metadata");
    JsonNode listMeta = listOrObject.path("metadata");
    if (listOrObject.has("items")) {
      copyIfPresent(listMeta, metadata, "resourceVersion");
      copyIfPresent(listMeta, metadata, "continue");
    }
    List<Column> columns = columns(kind);
    ArrayNode definitions = table.putArray("columnDefinitions");
    for (Column column : columns) {
      definitions
          .addObject()
          .put("name", column.name())
          .put("type", column.type())
          .put("format", column.format())
          .put("description", column.name())
          .put("priority", column.priority());
    }
    ArrayNode rows = table.putArray("rows");
    List<JsonNode> objects = new ArrayList<>();
    if (listOrObject.has("items")) {
      listOrObject.path("items").forEach(objects::add);
    } else {
      objects.add(listOrObject);
    }
    for (JsonNode object : objects) {
      ObjectNode row = rows.addObject();
      ArrayNode cells = row.putArray("cells");
      cells(kind, object).forEach(cells::add);
      switch (includeObject == null ? "Metadata" : includeObject) {
        case "None" -> {}
        case "Object" -> row.set("object", object);
        default -> {
          ObjectNode partial =
              row.putObject("object")
                  .put("kind", "PartialObjectMetadata")
                  .put("apiVersion", "meta.k8s.io/v1");
          partial.set("metadata", object.path("metadata"));
        }
      }
    }
    return table;
  }

  private static List<Column> columns(String kind) {
    return switch (kind) {
      case "Pod" -> POD;
      case "Node" -> NODE;
      case "Namespace" -> NAMESPACE;
      default -> GENERIC;
    };
  }

  private List<String> cells(String kind, JsonNode object) {
    String name = object.path("metadata").path("name").asString("");
    return switch (kind) {
      case "Pod" -> podCells(name, object);
      case "Node" -> nodeCells(name, object);
      case "Namespace" ->
          List.of(name, object.path("status").path("phase").asString("Active"), age(object));
      default -> List.of(name, object.path("metadata").path("creationTimestamp").asString(""));
    };
  }

  /** kubectl's pod printer: reason precedence, ready count, restarts with the last one's age. */
  private List<String> podCells(String name, JsonNode pod) {
    JsonNode status = pod.path("status");
    String reason = status.path("reason").asString("");
    if (reason.isEmpty()) {
      reason = status.path("phase").asString("Pending");
    }
    int total = pod.path("spec").path("containers").size();
    int ready = 0;
    int restarts = 0;
    Instant lastRestart = null;
    boolean hasRunning = false;
    List<JsonNode> containers = new ArrayList<>();
    status.path("containerStatuses").forEach(containers::add);
    for (int i = containers.size() - 1; i >= 0; i--) {
      JsonNode container = containers.get(i);
      restarts += container.path("restartCount").asInt(0);
      Optional<Instant> finished =
          instant(container.path("lastState").path("terminated").path("finishedAt"));
      if (finished.isPresent() && (lastRestart == null || finished.get().isAfter(lastRestart))) {
        lastRestart = finished.get();
      }
      JsonNode state = container.path("state");
      String waiting = state.path("waiting").path("reason").asString("");
      JsonNode terminated = state.path("terminated");
      if (!waiting.isEmpty()) {
        reason = waiting;
      } else if (!terminated.isMissingNode() && !terminated.path("reason").asString("").isEmpty()) {
        reason = terminated.path("reason").asString("");
      } else if (!terminated.isMissingNode()) {
        int signal = terminated.path("signal").asInt(0);
        reason =
            signal != 0 ? "Signal:" + signal : "ExitCode:" + terminated.path("exitCode").asInt(0);
      } else if (container.path("ready").asBoolean(false) && state.has("running")) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason.equals("Completed") && hasRunning) {
      reason = "Running";
    }
    if (pod.path("metadata").has("deletionTimestamp")) {
      reason = "Terminating";
    }
    String restartCell =
        lastRestart == null
            ? Integer.toString(restarts)
            : restarts + " (" + humanDuration(lastRestart) + " ago)";
    JsonNode gates = pod.path("spec").path("readinessGates");
    return List.of(
        name,
        ready + "/" + total,
        reason,
        restartCell,
        age(pod),
        status.path("podIP").asString("<none>"),
        pod.path("spec").path("nodeName").asString("<none>"),
        status.path("nominatedNodeName").asString("<none>"),
        gates.isEmpty() ? "<none>" : "0/" + gates.size());
  }

  private List<String> nodeCells(String name, JsonNode node) {
    String readiness = "Unknown";
    for (JsonNode condition : node.path("status").path("conditions")) {
      if (condition.path("type").asString("").equals("Ready")) {
        readiness =
            switch (condition.path("status").asString("")) {
              case "True" -> "Ready";
              case "False" -> "NotReady";
              default -> "Unknown";
            };
      }
    }
    if (node.path("spec").path("unschedulable").asBoolean(false)) {
      readiness += ",SchedulingDisabled";
    }
    TreeSet<String> roles = new TreeSet<>();
    for (Map.Entry<String, JsonNode> label : node.path("metadata").path("labels").properties()) {
      if (label.getKey().startsWith("node-role.kubernetes.io/")) {
        roles.add(label.getKey().substring("node-role.kubernetes.io/".length()));
      } else if (label.getKey().equals("kubernetes.io/role")) {
        roles.add(label.getValue().asString(""));
      }
    }
    String internal = "<none>";
    String external = "<none>";
    for (JsonNode address : node.path("status").path("addresses")) {
      switch (address.path("type").asString("")) {
        case "InternalIP" -> internal = address.path("address").asString("<none>");
        case "ExternalIP" -> external = address.path("address").asString("<none>");
        default -> {}
      }
    }
    JsonNode info = node.path("status").path("nodeInfo");
    return List.of(
        name,
        readiness,
        roles.isEmpty() ? "<none>" : String.join(",", roles),
        age(node),
        info.path("kubeletVersion").asString(""),
        internal,
        external,
        info.path("osImage").asString("<unknown>"),
        info.path("kernelVersion").asString("<unknown>"),
        info.path("containerRuntimeVersion").asString("<unknown>"));
  }

  private String age(JsonNode object) {
    return instant(object.path("metadata").path("creationTimestamp"))
        .map(this::humanDuration)
        .orElse("<unknown>");
  }

  private static Optional<Instant> instant(JsonNode text) {
    if (!text.isString()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(text.asString()));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** apimachinery's HumanDuration: precise when recent, coarser with age. */
  String humanDuration(Instant since) {
    Duration d = Duration.between(since, clock.instant());
    long seconds = d.toSeconds();
    if (seconds < -1) {
      return "<invalid>";
    } else if (seconds < 0) {
      return "0s";
    } else if (seconds < 60 * 2) {
      return seconds + "s";
    }
    long minutes = d.toMinutes();
    if (minutes < 10) {
      long s = seconds % 60;
      return s == 0 ? minutes + "m" : minutes + "m" + s + "s";
    } else if (minutes < 60 * 3) {
      return minutes + "m";
    }
    long hours = d.toHours();
    if (hours < 8) {
      long m = minutes % 60;
      return m == 0 ? hours + "h" : hours + "h" + m + "m";
    } else if (hours < 48) {
      return hours + "h";
    } else if (hours < 24 * 8) {
      long h = hours % 24;
      return h == 0 ? (hours / 24) + "d" : (hours / 24) + "d" + h + "h";
    } else if (hours < 24 * 365 * 2) {
      return (hours / 24) + "d";
    } else if (hours < 24 * 365 * 8) {
      long dy = (hours / 24) % 365;
      return dy == 0 ? (hours / 24 / 365) + "y" : (hours / 24 / 365) + "y" + dy + "d";
    }
    return (hours / 24 / 365) + "y";
  }

  private static void copyIfPresent(JsonNode from, ObjectNode to, String field) {
    if (from.has(field)) {
      to.set(field, from.get(field));
    }
  }
}
