package dev.kubeboot.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** RBAC rule and subject matching, as the rbac/v1 authorizer evaluates them. */
class RbacRulesTest {
  final JsonMapper json = JsonMapper.builder().build();

  JsonNode read(String text) {
    return json.readTree(text.replace('\'', '"'));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "kubeadm's cluster-info rule allows get of cluster-info"
            + "|{'verbs':['get'],'apiGroups':[''],'resources':['configmaps'],'resourceNames':['cluster-info']}"
            + "|GET|/api/v1/namespaces/kube-public/configmaps/cluster-info|true",
        "resourceNames do not allow another name"
            + "|{'verbs':['get'],'apiGroups':[''],'resources':['configmaps'],'resourceNames':['cluster-info']}"
            + "|GET|/api/v1/namespaces/kube-public/configmaps/other|false",
        "resourceNames do not allow a list"
            + "|{'verbs':['get','list'],'apiGroups':[''],'resources':['configmaps'],'resourceNames':['cluster-info']}"
            + "|GET|/api/v1/namespaces/kube-public/configmaps|false",
        "another verb is not allowed"
            + "|{'verbs':['get'],'apiGroups':[''],'resources':['configmaps']}"
            + "|PUT|/api/v1/namespaces/kube-public/configmaps/cluster-info|false",
        "another API group is not allowed"
            + "|{'verbs':['get'],'apiGroups':['apps'],'resources':['configmaps']}"
            + "|GET|/api/v1/namespaces/kube-public/configmaps/x|false",
        "a subresource needs its own rule"
            + "|{'verbs':['update'],'apiGroups':[''],'resources':['nodes']}"
            + "|PUT|/api/v1/nodes/n1/status|false",
        "resource/subresource allows the subresource"
            + "|{'verbs':['update'],'apiGroups':[''],'resources':['nodes/status']}"
            + "|PUT|/api/v1/nodes/n1/status|true",
        "*/subresource allows it on any resource"
            + "|{'verbs':['update'],'apiGroups':[''],'resources':['*/status']}"
            + "|PUT|/api/v1/nodes/n1/status|true",
        "wildcards allow everything"
            + "|{'verbs':['*'],'apiGroups':['*'],'resources':['*']}"
            + "|DELETE|/apis/apps/v1/namespaces/a/deployments/b|true",
        "a nonResourceURL allows its path"
            + "|{'verbs':['get'],'nonResourceURLs':['/version']}|GET|/version|true",
        "a nonResourceURL with * allows below it"
            + "|{'verbs':['get'],'nonResourceURLs':['/apis/*']}|GET|/apis/apps/v1|true",
        "a resource rule does not allow a path"
            + "|{'verbs':['get'],'apiGroups':['*'],'resources':['*']}|GET|/api|false"
      })
  void rules(String name, String rule, String method, String path, boolean allowed) {
    assertThat(RbacAuthorizer.ruleAllows(read(rule), RequestAttributes.of(method, path, Map.of())))
        .isEqualTo(allowed);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "a User subject binds that user|{'kind':'User','name':'system:anonymous'}|true",
        "a Group subject binds its members"
            + "|{'kind':'Group','name':'system:bootstrappers:kubeadm:default-node-token'}|true",
        "another group does not bind|{'kind':'Group','name':'system:nodes'}|false",
        "a ServiceAccount subject binds only that account"
            + "|{'kind':'ServiceAccount','name':'x','namespace':'kube-system'}|false"
      })
  void subjects(String name, String subject, boolean binds) {
    ClientIdentity anonymous = ClientIdentity.ANONYMOUS;
    ClientIdentity token =
        new ClientIdentity(
            "system:bootstrap:abcdef",
            List.of(
                "system:bootstrappers",
                "system:bootstrappers:kubeadm:default-node-token",
                "system:authenticated"),
            ClientIdentity.Source.BOOTSTRAP_TOKEN);
    JsonNode binding = read("{'subjects':[" + subject + "]}");
    assertThat(RbacAuthorizer.bindsTo(binding, anonymous) || RbacAuthorizer.bindsTo(binding, token))
        .isEqualTo(binds);
  }
}
