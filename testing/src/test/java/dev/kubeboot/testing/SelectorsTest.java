package dev.kubeboot.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

/** Label and field selectors as kube-apiserver parses and applies them. */
class SelectorsTest {
  static final Map<String, String> LABELS =
      Map.of("tier", "control-plane", "node-role.kubernetes.io/control-plane", "", "app", "etcd");

  @ParameterizedTest(name = "labelSelector \"{0}\" selects the control-plane etcd labels: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "''|true",
        "tier=control-plane|true",
        "tier==control-plane|true",
        "tier!=control-plane|false",
        "tier=node|false",
        "missing!=x|true",
        "node-role.kubernetes.io/control-plane|true",
        "!node-role.kubernetes.io/control-plane|false",
        "!missing|true",
        "app in (etcd, kube-apiserver)|true",
        "app notin (etcd)|false",
        "tier=control-plane,app in (a,b)|false",
        "tier=control-plane, app in (etcd,b), !missing|true"
      })
  void labelSelectors(String selector, boolean selected) {
    assertThat(LabelSelector.parse(selector).matches(LABELS)).isEqualTo(selected);
  }

  @ParameterizedTest(name = "labelSelector \"{0}\" is refused")
  @CsvSource(
      delimiter = '|',
      value = {"a b c", "tier=a b", "=x", "app in (a b)"})
  void badLabelSelectors(String selector) {
    assertThatThrownBy(() -> LabelSelector.parse(selector))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code).isEqualTo(400))
        .hasMessageContaining("unable to parse requirement");
  }

  @ParameterizedTest(name = "fieldSelector \"{1}\" on a {0}: {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "Secret|type=bootstrap.kubernetes.io/token|true",
        "Secret|type!=bootstrap.kubernetes.io/token|false",
        "Secret|metadata.name=bootstrap-token-abcdef,metadata.namespace=kube-system|true",
        "Secret|metadata.name==other|false",
        "Pod|spec.nodeName=n1|true",
        "Node|spec.unschedulable=false|true"
      })
  void fieldSelectors(String kind, String selector, boolean selected) {
    var object =
        JsonMapper.builder()
            .build()
            .readTree(
                """
                {"metadata":{"name":"bootstrap-token-abcdef","namespace":"kube-system"},
                 "type":"bootstrap.kubernetes.io/token","spec":{"nodeName":"n1"}}""");
    assertThat(FieldSelector.parse(selector, kind).matches(object, kind)).isEqualTo(selected);
  }

  @ParameterizedTest(name = "fieldSelector \"{1}\" on a {0} is refused: {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "ConfigMap|data.x=1|field label not supported: data.x",
        "Secret|type|expected field=value",
      })
  void badFieldSelectors(String kind, String selector, String message) {
    assertThatThrownBy(() -> FieldSelector.parse(selector, kind))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code).isEqualTo(400))
        .hasMessageContaining(message);
  }
}
