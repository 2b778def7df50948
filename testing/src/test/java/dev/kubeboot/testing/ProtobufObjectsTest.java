package dev.kubeboot.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Kubernetes protobuf bodies, built here with the wire format's rules, read back as JSON. */
class ProtobufObjectsTest {
  final JsonMapper json = JsonMapper.builder().build();
  final ProtobufObjects protobuf = new ProtobufObjects(json);

  /** A protobuf message being written: tag, then varint or length-delimited bytes. */
  static final class Message {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Message varint(int field, long value) {
      tag(field, 0);
      write(value);
      return this;
    }

    Message string(int field, String value) {
      return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    Message message(int field, Message value) {
      return bytes(field, value.out.toByteArray());
    }

    Message entry(int field, String key, String value) {
      return message(field, new Message().string(1, key).string(2, value));
    }

    Message bytes(int field, byte[] value) {
      tag(field, 2);
      write(value.length);
      out.writeBytes(value);
      return this;
    }

    private void tag(int field, int wire) {
      write(((long) field << 3) | wire);
    }

    private void write(long value) {
      while ((value & ~0x7fL) != 0) {
        out.write((int) ((value & 0x7f) | 0x80));
        value >>>= 7;
      }
      out.write((int) value);
    }
  }

  static byte[] envelope(String apiVersion, String kind, Message object) {
    Message unknown =
        new Message()
            .message(1, new Message().string(1, apiVersion).string(2, kind))
            .message(2, object)
            .string(4, ProtobufObjects.CONTENT_TYPE);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(new byte[] {'k', '8', 's', 0});
    body.writeBytes(unknown.out.toByteArray());
    return body.toByteArray();
  }

  @Test
  void aConfigMapWithMetadataDataAndAnUnknownFieldReadsAsJson() {
    Message meta =
        new Message()
            .string(1, "settings")
            .string(3, "kube-system")
            .message(8, new Message())
            .entry(11, "app", "x")
            .entry(11, "tier", "y")
            .string(99, "a field the reader does not know");
    byte[] body =
        envelope(
            "v1",
            "ConfigMap",
            new Message().message(1, meta).entry(2, "k", "v").entry(2, "empty", "").varint(4, 1));
    assertThat(protobuf.read(body))
        .isEqualTo(
            json.readTree(
                """
                {"apiVersion":"v1","kind":"ConfigMap",
                 "metadata":{"name":"settings","namespace":"kube-system",
                   "labels":{"app":"x","tier":"y"}},
                 "data":{"k":"v","empty":""},"immutable":true}"""));
  }

  @Test
  void aSecretsDataIsBase64AndARolesRulesAreLists() {
    Message secret =
        new Message()
            .message(1, new Message().string(1, "s"))
            .message(2, new Message().string(1, "password").bytes(2, new byte[] {1, 2, 3}))
            .string(3, "Opaque");
    assertThat(protobuf.read(envelope("v1", "Secret", secret)).toString())
        .isEqualTo(
            "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"s\"},"
                + "\"data\":{\"password\":\"AQID\"},\"type\":\"Opaque\"}");
    Message rule =
        new Message().string(1, "get").string(1, "list").string(2, "").string(3, "configmaps");
    Message role = new Message().message(1, new Message().string(1, "r")).message(2, rule);
    assertThat(
            protobuf
                .read(envelope("rbac.authorization.k8s.io/v1", "Role", role))
                .path("rules")
                .toString())
        .isEqualTo(
            "[{\"verbs\":[\"get\",\"list\"],\"apiGroups\":[\"\"],\"resources\":[\"configmaps\"]}]");
  }

  @Test
  void aServicePortsTargetPortIsAnIntOrAString() {
    Message port =
        new Message()
            .string(2, "TCP")
            .varint(3, 80)
            .message(4, new Message().varint(1, 1).string(3, "http"));
    Message service =
        new Message()
            .message(1, new Message().string(1, "web"))
            .message(2, new Message().message(1, port).string(4, "ClusterIP"));
    assertThat(protobuf.read(envelope("v1", "Service", service)).path("spec").toString())
        .isEqualTo(
            "{\"ports\":[{\"protocol\":\"TCP\",\"port\":80,\"targetPort\":\"http\"}],"
                + "\"type\":\"ClusterIP\"}");
  }

  @Test
  void aSetTimestampIsRfc3339() {
    Message meta = new Message().string(1, "x").message(8, new Message().varint(1, 1767268800));
    assertThat(
            protobuf
                .read(envelope("v1", "Namespace", new Message().message(1, meta)))
                .path("metadata")
                .path("creationTimestamp")
                .asString())
        .isEqualTo("2026-01-01T12:00:00Z");
  }

  @Test
  void anUnknownKindIs415AndGarbageIs400() {
    assertThatThrownBy(() -> protobuf.read(envelope("apps/v1", "Deployment", new Message())))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code).isEqualTo(415))
        .hasMessageContaining("apps/v1 Deployment")
        .hasMessageContaining("send JSON");
    assertThatThrownBy(() -> protobuf.read("{}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code).isEqualTo(400));
    byte[] truncated = envelope("v1", "ConfigMap", new Message().entry(2, "k", "v"));
    byte[] cut = java.util.Arrays.copyOf(truncated, truncated.length - 3);
    assertThatThrownBy(() -> protobuf.read(cut))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code).isEqualTo(400))
        .hasMessageContaining("malformed");
  }
}
