package dev.kubeboot.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** What the registry strategies do on create and update. */
class ResourceStrategyTest {
  final JsonMapper json = JsonMapper.builder().build();

  ObjectNode read(String text) {
    return (ObjectNode) json.readTree(text.replace('\'', '"'));
  }

  static ApiResource resource(String prefix, String plural) {
    return ApiResource.byPlural(prefix, plural).orElseThrow();
  }

  @Test
  void aNewPodIsPendingWhateverStatusItBrings() {
    ObjectNode pod = read("{'metadata':{'name':'p'},'status':{'phase':'Running'}}");
    ResourceStrategy.prepareForCreate(resource("/api/v1", "pods"), pod);
    assertThat(pod.get("status")).isEqualTo(read("{'phase':'Pending'}"));
  }

  @Test
  void aNodeKeepsTheStatusItRegistersWith() {
    ObjectNode node = read("{'metadata':{'name':'n'},'status':{'addresses':[]}}");
    ResourceStrategy.prepareForCreate(resource("/api/v1", "nodes"), node);
    assertThat(node.get("status")).isEqualTo(read("{'addresses':[]}"));
  }

  @Test
  void aMainResourceUpdateKeepsTheStoredStatusAndIdentity() {
    ObjectNode stored =
        read(
            "{'metadata':{'name':'n','uid':'u1','creationTimestamp':'t1'},"
                + "'spec':{},'status':{'phase':'Running'}}");
    ObjectNode updated =
        read(
            "{'metadata':{'name':'n','uid':'u2','labels':{'a':'b'}},"
                + "'spec':{'unschedulable':true},'status':{'phase':'Gone'}}");
    ObjectNode result =
        ResourceStrategy.prepareForUpdate(resource("/api/v1", "nodes"), "", stored, updated);
    assertThat(result.get("status")).isEqualTo(read("{'phase':'Running'}"));
    assertThat(result.path("metadata").path("uid").asString()).isEqualTo("u1");
    assertThat(result.path("metadata").path("creationTimestamp").asString()).isEqualTo("t1");
    assertThat(result.path("metadata").path("labels")).isEqualTo(read("{'a':'b'}"));
    assertThat(result.path("spec").path("unschedulable").asBoolean()).isTrue();
  }

  @Test
  void aStatusUpdateChangesOnlyTheStatus() {
    ObjectNode stored = read("{'metadata':{'name':'p','labels':{'a':'1'}},'spec':{'x':1}}");
    ObjectNode updated =
        read(
            "{'metadata':{'name':'p','labels':{'a':'2'}},'spec':{'x':2},'status':{'phase':'Running'}}");
    ObjectNode result =
        ResourceStrategy.prepareForUpdate(resource("/api/v1", "pods"), "status", stored, updated);
    assertThat(result)
        .isEqualTo(
            read(
                "{'metadata':{'name':'p','labels':{'a':'1'}},'spec':{'x':1},"
                    + "'status':{'phase':'Running'}}"));
  }

  @Test
  void aWorkloadsGenerationCountsSpecChanges() {
    ApiResource deployments = resource("/apis/apps/v1", "deployments");
    ObjectNode created = read("{'metadata':{'name':'d'},'spec':{'replicas':1}}");
    ResourceStrategy.prepareForCreate(deployments, created);
    assertThat(created.path("metadata").path("generation").asLong()).isEqualTo(1);
    ObjectNode relabelled = created.deepCopy();
    ((ObjectNode) relabelled.get("metadata")).putObject("labels").put("a", "b");
    assertThat(
            ResourceStrategy.prepareForUpdate(deployments, "", created, relabelled)
                .path("metadata")
                .path("generation")
                .asLong())
        .isEqualTo(1);
    ObjectNode scaled = created.deepCopy();
    ((ObjectNode) scaled.get("spec")).put("replicas", 3);
    assertThat(
            ResourceStrategy.prepareForUpdate(deployments, "", created, scaled)
                .path("metadata")
                .path("generation")
                .asLong())
        .isEqualTo(2);
  }

  @Test
  void aSecretsStringDataIsFoldedIntoDataAndItsTypeDefaults() {
    ObjectNode secret =
        read("{'metadata':{'name':'s'},'data':{'a':'eA=='},'stringData':{'token-id':'abcdef'}}");
    ResourceStrategy.prepareForCreate(resource("/api/v1", "secrets"), secret);
    assertThat(secret)
        .isEqualTo(
            read(
                "{'metadata':{'name':'s'},'data':{'a':'eA==','token-id':'YWJjZGVm'},"
                    + "'type':'Opaque'}"));
  }

  @Test
  void aNewNamespaceIsActiveWithTheKubernetesFinalizer() {
    ObjectNode namespace = read("{'metadata':{'name':'x'}}");
    ResourceStrategy.prepareForCreate(ApiResource.NAMESPACES, namespace);
    assertThat(namespace)
        .isEqualTo(
            read(
                "{'metadata':{'name':'x'},'spec':{'finalizers':['kubernetes']},"
                    + "'status':{'phase':'Active'}}"));
  }
}
