package dev.kubeboot.testing;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Request bodies in Kubernetes' protobuf encoding ({@code application/vnd.kubernetes.protobuf}),
 * which kubectl's typed commands ({@code kubectl create configmap|secret|namespace|serviceaccount|
 * role|rolebinding|clusterrole|clusterrolebinding|service}) send, read into the JSON the rest of
 * the stand-in works with. The envelope is the magic {@code k8s\0} and a {@code runtime.Unknown}
 * (TypeMeta, raw bytes); the object's fields follow the field numbers of k8s.io/api's
 * generated.proto for these kinds, held in a table here. Other kinds are refused with 415 and a
 * hint to send JSON ({@code kubectl create -f}); answers are always JSON, which kubectl accepts.
 */
final class ProtobufObjects {
  static final String CONTENT_TYPE = "application/vnd.kubernetes.protobuf";
  private static final byte[] MAGIC = {'k', '8', 's', 0};

  private enum Type {
    STRING,
    BYTES,
    BOOL,
    INT,
    MESSAGE,
    STRING_MAP,
    BYTES_MAP,
    TIME,
    INT_OR_STRING
  }

  /** One field of a message: JSON name, type, nested message (for MESSAGE), repeated. */
  private record Field(String name, Type type, String message, boolean repeated) {}

  private static Field f(String name, Type type) {
    return new Field(name, type, "", false);
  }

  private static Field list(String name, Type type) {
    return new Field(name, type, "", true);
  }

  private static Field m(String name, String message) {
    return new Field(name, Type.MESSAGE, message, false);
  }

  private static Field ms(String name, String message) {
    return new Field(name, Type.MESSAGE, message, true);
  }

  private static final Map<String, Map<Integer, Field>> MESSAGES =
      Map.ofEntries(
          Map.entry(
              "ObjectMeta",
              Map.ofEntries(
                  Map.entry(1, f("name", Type.STRING)),
                  Map.entry(2, f("generateName", Type.STRING)),
                  Map.entry(3, f("namespace", Type.STRING)),
                  Map.entry(5, f("uid", Type.STRING)),
                  Map.entry(6, f("resourceVersion", Type.STRING)),
                  Map.entry(7, f("generation", Type.INT)),
                  Map.entry(8, f("creationTimestamp", Type.TIME)),
                  Map.entry(9, f("deletionTimestamp", Type.TIME)),
                  Map.entry(10, f("deletionGracePeriodSeconds", Type.INT)),
                  Map.entry(11, f("labels", Type.STRING_MAP)),
                  Map.entry(12, f("annotations", Type.STRING_MAP)),
                  Map.entry(13, ms("ownerReferences", "OwnerReference")),
                  Map.entry(14, list("finalizers", Type.STRING)))),
          Map.entry(
              "OwnerReference",
              Map.of(
                  1, f("kind", Type.STRING),
                  3, f("name", Type.STRING),
                  4, f("uid", Type.STRING),
                  5, f("apiVersion", Type.STRING),
                  6, f("controller", Type.BOOL),
                  7, f("blockOwnerDeletion", Type.BOOL))),
          Map.entry(
              "LabelSelector",
              Map.of(
                  1, f("matchLabels", Type.STRING_MAP),
                  2, ms("matchExpressions", "LabelSelectorRequirement"))),
          Map.entry(
              "LabelSelectorRequirement",
              Map.of(
                  1, f("key", Type.STRING),
                  2, f("operator", Type.STRING),
                  3, list("values", Type.STRING))),
          Map.entry(
              "ConfigMap",
              Map.of(
                  1, m("metadata", "ObjectMeta"),
                  2, f("data", Type.STRING_MAP),
                  3, f("binaryData", Type.BYTES_MAP),
                  4, f("immutable", Type.BOOL))),
          Map.entry(
              "Secret",
              Map.of(
                  1, m("metadata", "ObjectMeta"),
                  2, f("data", Type.BYTES_MAP),
                  3, f("type", Type.STRING),
                  4, f("stringData", Type.STRING_MAP),
                  5, f("immutable", Type.BOOL))),
          Map.entry(
              "Namespace",
              Map.of(
                  1, m("metadata", "ObjectMeta"),
                  2, m("spec", "NamespaceSpec"),
                  3, m("status", "NamespaceStatus"))),
          Map.entry("NamespaceSpec", Map.of(1, list("finalizers", Type.STRING))),
          Map.entry("NamespaceStatus", Map.of(1, f("phase", Type.STRING))),
          Map.entry(
              "ServiceAccount",
              Map.of(
                  1, m("metadata", "ObjectMeta"),
                  2, ms("secrets", "ObjectReference"),
                  3, ms("imagePullSecrets", "LocalObjectReference"),
                  4, f("automountServiceAccountToken", Type.BOOL))),
          Map.entry(
              "ObjectReference",
              Map.of(
                  1, f("kind", Type.STRING),
                  2, f("namespace", Type.STRING),
                  3, f("name", Type.STRING),
                  4, f("uid", Type.STRING),
                  5, f("apiVersion", Type.STRING),
                  6, f("resourceVersion", Type.STRING),
                  7, f("fieldPath", Type.STRING))),
          Map.entry("LocalObjectReference", Map.of(1, f("name", Type.STRING))),
          Map.entry(
              "Service",
              Map.of(
                  1, m("metadata", "ObjectMeta"),
                  2, m("spec", "ServiceSpec"),
                  3, m("status", "ServiceStatus"))),
          Map.entry(
              "ServiceSpec",
              Map.ofEntries(
                  Map.entry(1, ms("ports", "ServicePort")),
                  Map.entry(2, f("selector", Type.STRING_MAP)),
                  Map.entry(3, f("clusterIP", Type.STRING)),
                  Map.entry(4, f("type", Type.STRING)),
                  Map.entry(5, list("externalIPs", Type.STRING)),
                  Map.entry(7, f("sessionAffinity", Type.STRING)),
                  Map.entry(11, f("externalName", Type.STRING)),
                  Map.entry(18, list("clusterIPs", Type.STRING)),
                  Map.entry(19, list("ipFamilies", Type.STRING)),
                  Map.entry(17, f("ipFamilyPolicy", Type.STRING)))),
          Map.entry(
              "ServicePort",
              Map.of(
                  1, f("name", Type.STRING),
                  2, f("protocol", Type.STRING),
                  3, f("port", Type.INT),
                  4, f("targetPort", Type.INT_OR_STRING),
                  5, f("nodePort", Type.INT),
                  6, f("appProtocol", Type.STRING))),
          Map.entry("ServiceStatus", Map.of()),
          Map.entry(
              "PolicyRule",
              Map.of(
                  1, list("verbs", Type.STRING),
                  2, list("apiGroups", Type.STRING),
                  3, list("resources", Type.STRING),
                  4, list("resourceNames", Type.STRING),
                  5, list("nonResourceURLs", Type.STRING))),
          Map.entry("AggregationRule", Map.of(1, ms("clusterRoleSelectors", "LabelSelector"))),
          Map.entry("Role", Map.of(1, m("metadata", "ObjectMeta"), 2, ms("rules", "PolicyRule"))),
          Map.entry(
              "ClusterRole",
              Map.of(
                  1, m("metadata", "ObjectMeta"),
                  2, ms("rules", "PolicyRule"),
                  3, m("aggregationRule", "AggregationRule"))),
          Map.entry(
              "RoleBinding",
              Map.of(
                  1, m("metadata", "ObjectMeta"),
                  2, ms("subjects", "Subject"),
                  3, m("roleRef", "RoleRef"))),
          Map.entry(
              "ClusterRoleBinding",
              Map.of(
                  1, m("metadata", "ObjectMeta"),
                  2, ms("subjects", "Subject"),
                  3, m("roleRef", "RoleRef"))),
          Map.entry(
              "Subject",
              Map.of(
                  1, f("kind", Type.STRING),
                  2, f("apiGroup", Type.STRING),
                  3, f("name", Type.STRING),
                  4, f("namespace", Type.STRING))),
          Map.entry(
              "RoleRef",
              Map.of(
                  1, f("apiGroup", Type.STRING),
                  2, f("kind", Type.STRING),
                  3, f("name", Type.STRING))));

  /** Top-level kinds this reader knows, by "apiVersion/kind". */
  private static final Map<String, String> KINDS =
      Map.of(
          "v1/ConfigMap", "ConfigMap",
          "v1/Secret", "Secret",
          "v1/Namespace", "Namespace",
          "v1/ServiceAccount", "ServiceAccount",
          "v1/Service", "Service",
          "rbac.authorization.k8s.io/v1/Role", "Role",
          "rbac.authorization.k8s.io/v1/ClusterRole", "ClusterRole",
          "rbac.authorization.k8s.io/v1/RoleBinding", "RoleBinding",
          "rbac.authorization.k8s.io/v1/ClusterRoleBinding", "ClusterRoleBinding");

  private final JsonMapper json;

  ProtobufObjects(JsonMapper json) {
    this.json = json;
  }

  static boolean isProtobuf(String contentType) {
    return contentType != null
        && contentType.split(";")[0].trim().toLowerCase(Locale.ROOT).equals(CONTENT_TYPE);
  }

  /**
   * The object in a protobuf request body, as JSON.
   *
   * @throws ApiException 400 for bytes that are not a Kubernetes protobuf envelope, 415 for a kind
   *     this reader does not know
   */
  ObjectNode read(byte[] body) {
    if (body.length < MAGIC.length
        || !java.util.Arrays.equals(java.util.Arrays.copyOf(body, MAGIC.length), MAGIC)) {
      throw ApiException.badRequest(
          "the body is not Kubernetes protobuf: it does not start with the k8s\\0 magic");
    }
    try {
      Reader envelope = new Reader(body, MAGIC.length, body.length);
      String apiVersion = "";
      String kind = "";
      Reader raw = null;
      while (envelope.more()) {
        long tag = envelope.varint();
        int number = (int) (tag >>> 3);
        if (number == 1 && (tag & 7) == 2) {
          Reader typeMeta = envelope.delimited();
          while (typeMeta.more()) {
            long t = typeMeta.varint();
            if ((t >>> 3) == 1 && (t & 7) == 2) {
              apiVersion = typeMeta.delimited().string();
            } else if ((t >>> 3) == 2 && (t & 7) == 2) {
              kind = typeMeta.delimited().string();
            } else {
              typeMeta.skip((int) (t & 7));
            }
          }
        } else if (number == 2 && (tag & 7) == 2) {
          raw = envelope.delimited();
        } else {
          envelope.skip((int) (tag & 7));
        }
      }
      String message = KINDS.get(apiVersion + "/" + kind);
      if (message == null) {
        throw ApiException.unsupportedMediaType(
            "the kube-apiserver stand-in reads protobuf bodies only for "
                + KINDS.keySet().stream().sorted().toList()
                + ", not "
                + apiVersion
                + " "
                + kind
                + ": send JSON (kubectl create -f / apply -f)");
      }
      ObjectNode object = json.createObjectNode().put("apiVersion", apiVersion).put("kind", kind);
      if (raw != null) {
        readMessage(raw, message, object);
      }
      return object;
    } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
      throw ApiException.badRequest("the protobuf body is malformed: " + e.getMessage());
    }
  }

  private void readMessage(Reader in, String message, ObjectNode into) {
    Map<Integer, Field> fields = MESSAGES.get(message);
    while (in.more()) {
      long tag = in.varint();
      int wire = (int) (tag & 7);
      Field field = fields.get((int) (tag >>> 3));
      if (field == null) {
        in.skip(wire);
        continue;
      }
      int expected = field.type() == Type.BOOL || field.type() == Type.INT ? 0 : 2;
      if (wire != expected) {
        throw new IllegalArgumentException(
            message + "." + field.name() + " has wire type " + wire + ", not " + expected);
      }
      JsonNode value =
          switch (field.type()) {
            case STRING -> json.getNodeFactory().stringNode(in.delimited().string());
            case BYTES ->
                json.getNodeFactory()
                    .stringNode(Base64.getEncoder().encodeToString(in.delimited().bytes()));
            case BOOL -> json.getNodeFactory().booleanNode(in.varint() != 0);
            case INT -> json.getNodeFactory().numberNode(in.varint());
            case MESSAGE -> {
              ObjectNode nested = json.createObjectNode();
              readMessage(in.delimited(), field.message(), nested);
              yield nested;
            }
            case TIME -> time(in.delimited());
            case INT_OR_STRING -> intOrString(in.delimited());
            case STRING_MAP, BYTES_MAP -> {
              Reader entry = in.delimited();
              String key = "";
              JsonNode entryValue = json.getNodeFactory().stringNode("");
              while (entry.more()) {
                long t = entry.varint();
                if ((t >>> 3) == 1) {
                  key = entry.delimited().string();
                } else if ((t >>> 3) == 2) {
                  Reader v = entry.delimited();
                  entryValue =
                      json.getNodeFactory()
                          .stringNode(
                              field.type() == Type.BYTES_MAP
                                  ? Base64.getEncoder().encodeToString(v.bytes())
                                  : v.string());
                } else {
                  entry.skip((int) (t & 7));
                }
              }
              ObjectNode map =
                  into.get(field.name()) instanceof ObjectNode existing
                      ? existing
                      : into.putObject(field.name());
              map.set(key, entryValue);
              yield null;
            }
          };
      if (value == null) {
        continue;
      }
      if (field.repeated()) {
        ArrayNode array =
            into.get(field.name()) instanceof ArrayNode existing
                ? existing
                : into.putArray(field.name());
        array.add(value);
      } else {
        into.set(field.name(), value);
      }
    }
  }

  /** A meta/v1 Time; Go sends the zero time (JSON null) as an empty message: left out. */
  private JsonNode time(Reader in) {
    long seconds = 0;
    while (in.more()) {
      long t = in.varint();
      if ((t >>> 3) == 1) {
        seconds = in.varint();
      } else {
        in.skip((int) (t & 7));
      }
    }
    return seconds == 0
        ? null
        : json.getNodeFactory().stringNode(Instant.ofEpochSecond(seconds).toString());
  }

  private JsonNode intOrString(Reader in) {
    long type = 0;
    long intVal = 0;
    String strVal = "";
    while (in.more()) {
      long t = in.varint();
      switch ((int) (t >>> 3)) {
        case 1 -> type = in.varint();
        case 2 -> intVal = in.varint();
        case 3 -> strVal = in.delimited().string();
        default -> in.skip((int) (t & 7));
      }
    }
    return type == 1
        ? json.getNodeFactory().stringNode(strVal)
        : json.getNodeFactory().numberNode((int) intVal);
  }

  /** Protobuf wire format over a byte range: varints, length-delimited fields, skipping. */
  private static final class Reader {
    private final byte[] buffer;
    private int position;
    private final int end;

    Reader(byte[] buffer, int position, int end) {
      this.buffer = buffer;
      this.position = position;
      this.end = end;
    }

    boolean more() {
      return position < end;
    }

    long varint() {
      long result = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (position >= end) {
          throw new IllegalArgumentException("a varint runs past the end");
        }
        byte b = buffer[position++];
        result |= (long) (b & 0x7f) << shift;
        if ((b & 0x80) == 0) {
          return result;
        }
      }
      throw new IllegalArgumentException("a varint is longer than 10 bytes");
    }

    Reader delimited() {
      long length = varint();
      if (length < 0 || length > end - position) {
        throw new IllegalArgumentException("a field of " + length + " bytes runs past the end");
      }
      Reader inner = new Reader(buffer, position, position + (int) length);
      position += (int) length;
      return inner;
    }

    byte[] bytes() {
      return java.util.Arrays.copyOfRange(buffer, position, end);
    }

    String string() {
      return new String(buffer, position, end - position, StandardCharsets.UTF_8);
    }

    void skip(int wireType) {
      switch (wireType) {
        case 0 -> varint();
        case 1 -> position += 8;
        case 2 -> delimited();
        case 5 -> position += 4;
        default ->
            throw new IllegalArgumentException("wire type " + wireType + " is not supported");
      }
      if (position > end) {
        throw new IllegalArgumentException("a fixed-size field runs past the end");
      }
    }
  }
}
