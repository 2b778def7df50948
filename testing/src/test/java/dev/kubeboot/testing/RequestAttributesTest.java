package dev.kubeboot.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How a request reads for authorization (kube-apiserver's RequestInfo), and denials' wording. */
class RequestAttributesTest {
  @ParameterizedTest(name = "{0} {1}{2} -> {3} {4} {5} ns={6} name={7} sub={8}")
  @CsvSource(
      delimiter = '|',
      value = {
        "GET|/api/v1/namespaces/kube-public/configmaps/cluster-info|''|get|''|configmaps|kube-public|cluster-info|''",
        "GET|/api/v1/namespaces/kube-system/secrets|''|list|''|secrets|kube-system|''|''",
        "GET|/api/v1/namespaces/kube-system/secrets|?watch=true|watch|''|secrets|kube-system|''|''",
        "GET|/api/v1/watch/namespaces/kube-system/secrets|''|watch|''|secrets|kube-system|''|''",
        "GET|/api/v1/nodes/n1|''|get|''|nodes|''|n1|''",
        "PUT|/api/v1/nodes/n1/status|''|update|''|nodes|''|n1|status",
        "PATCH|/apis/apps/v1/namespaces/kube-system/deployments/coredns|''|patch|apps|deployments|kube-system|coredns|''",
        "POST|/apis/rbac.authorization.k8s.io/v1/clusterroles|''|create|rbac.authorization.k8s.io|clusterroles|''|''|''",
        "DELETE|/api/v1/namespaces/default/pods|''|deletecollection|''|pods|default|''|''",
        "GET|/api/v1/namespaces/kube-system|''|get|''|namespaces|kube-system|kube-system|''",
        "PUT|/api/v1/namespaces/kube-system/status|''|update|''|namespaces|kube-system|kube-system|status"
      })
  void resourceRequests(
      String method,
      String path,
      String query,
      String verb,
      String group,
      String resource,
      String namespace,
      String name,
      String subresource) {
    Map<String, List<String>> params =
        query.isEmpty() ? Map.of() : ApiServerStandIn.query(query.substring(1));
    assertThat(RequestAttributes.of(method, path, params))
        .isEqualTo(
            new RequestAttributes(verb, true, group, resource, subresource, namespace, name, path));
  }

  @ParameterizedTest(name = "{0} {1} is a non-resource request with verb {2}")
  @CsvSource({"GET,/api,get", "GET,/apis/apps,get", "POST,/openapi/v3,post", "GET,/metrics,get"})
  void nonResourceRequests(String method, String path, String verb) {
    assertThat(RequestAttributes.of(method, path, Map.of()))
        .isEqualTo(new RequestAttributes(verb, false, "", "", "", "", "", path));
  }

  @ParameterizedTest(name = "{0} {1}: {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "GET|/api/v1/namespaces/kube-system/secrets/kubeadm-certs"
            + "|secrets \"kubeadm-certs\" is forbidden: User \"u\" cannot get resource \"secrets\""
            + " in API group \"\" in the namespace \"kube-system\"",
        "GET|/apis/apps/v1/deployments"
            + "|deployments.apps is forbidden: User \"u\" cannot list resource \"deployments\""
            + " in API group \"apps\" at the cluster scope",
        "GET|/apis|forbidden: User \"u\" cannot get path \"/apis\""
      })
  void denialsAreWordedAsKubeApiserverWordsThem(String method, String path, String message) {
    assertThat(RequestAttributes.of(method, path, Map.of()).forbiddenMessage("u"))
        .isEqualTo(message);
  }
}
