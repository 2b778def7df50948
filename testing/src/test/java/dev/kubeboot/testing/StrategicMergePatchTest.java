package dev.kubeboot.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class StrategicMergePatchTest {
  final JsonMapper json = JsonMapper.builder().build();

  JsonNode read(String text) {
    return json.readTree(text.replace('\'', '"'));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "maps merge and null removes a key"
            + "|{'metadata':{'labels':{'a':'1','b':'2'}}}"
            + "|{'metadata':{'labels':{'b':null,'c':'3'}}}"
            + "|{'metadata':{'labels':{'a':'1','c':'3'}}}",
        "containers merge by name"
            + "|{'spec':{'containers':[{'name':'a','image':'x'},{'name':'b','image':'y'}]}}"
            + "|{'spec':{'containers':[{'name':'b','image':'z'},{'name':'c','image':'w'}]}}"
            + "|{'spec':{'containers':[{'name':'a','image':'x'},{'name':'b','image':'z'},"
            + "{'name':'c','image':'w'}]}}",
        "$patch delete removes a list item by its key"
            + "|{'spec':{'containers':[{'name':'a'},{'name':'b'}]}}"
            + "|{'spec':{'containers':[{'name':'a','$patch':'delete'}]}}"
            + "|{'spec':{'containers':[{'name':'b'}]}}",
        "a list without a patch strategy is replaced (node taints)"
            + "|{'spec':{'taints':[{'key':'a','effect':'NoSchedule'}]}}"
            + "|{'spec':{'taints':[{'key':'b','effect':'NoExecute'}]}}"
            + "|{'spec':{'taints':[{'key':'b','effect':'NoExecute'}]}}",
        "env merges by name inside a container"
            + "|{'spec':{'containers':[{'name':'a','env':[{'name':'X','value':'1'}]}]}}"
            + "|{'spec':{'containers':[{'name':'a','env':[{'name':'Y','value':'2'}]}]}}"
            + "|{'spec':{'containers':[{'name':'a','env':[{'name':'X','value':'1'},"
            + "{'name':'Y','value':'2'}]}]}}",
        "container ports merge by containerPort, service ports by port"
            + "|{'spec':{'ports':[{'port':80,'name':'h'}],'containers':[{'name':'a',"
            + "'ports':[{'containerPort':1}]}]}}"
            + "|{'spec':{'ports':[{'port':443,'name':'s'}],'containers':[{'name':'a',"
            + "'ports':[{'containerPort':2}]}]}}"
            + "|{'spec':{'ports':[{'port':80,'name':'h'},{'port':443,'name':'s'}],"
            + "'containers':[{'name':'a','ports':[{'containerPort':1},{'containerPort':2}]}]}}",
        "conditions merge by type"
            + "|{'status':{'conditions':[{'type':'Ready','status':'False'},{'type':'X','status':'True'}]}}"
            + "|{'status':{'conditions':[{'type':'Ready','status':'True'}]}}"
            + "|{'status':{'conditions':[{'type':'Ready','status':'True'},{'type':'X','status':'True'}]}}",
        "finalizers merge as a set and $deleteFromPrimitiveList removes"
            + "|{'metadata':{'finalizers':['a','b']}}"
            + "|{'metadata':{'finalizers':['c','a'],'$deleteFromPrimitiveList/finalizers':['b']}}"
            + "|{'metadata':{'finalizers':['a','c']}}",
        "$setElementOrder orders the merged list"
            + "|{'spec':{'containers':[{'name':'a'},{'name':'b'}]}}"
            + "|{'spec':{'$setElementOrder/containers':[{'name':'b'},{'name':'a'}],"
            + "'containers':[{'name':'a','image':'i'}]}}"
            + "|{'spec':{'containers':[{'name':'b'},{'name':'a','image':'i'}]}}",
        "$patch replace on a map replaces it"
            + "|{'data':{'a':'1','b':'2'}}"
            + "|{'data':{'$patch':'replace','c':'3'}}"
            + "|{'data':{'c':'3'}}",
        "$retainKeys keeps only the listed keys"
            + "|{'spec':{'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':1}}}}"
            + "|{'spec':{'strategy':{'$retainKeys':['type'],'type':'Recreate'}}}"
            + "|{'spec':{'strategy':{'type':'Recreate'}}}",
        "a new value carries no directives"
            + "|{}"
            + "|{'spec':{'containers':[{'name':'a','env':[{'name':'X','$patch':'delete'}]}]}}"
            + "|{'spec':{'containers':[{'name':'a','env':[]}]}}"
      })
  void patches(String name, String original, String patch, String expected) {
    assertThat(StrategicMergePatch.apply(read(original), read(patch))).isEqualTo(read(expected));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "a merge list item without its key|{'spec':{'containers':[{'image':'x'}]}}|merge key",
        "an unknown $patch directive|{'data':{'$patch':'explode'}}|explode",
        "a patch that is not an object|['x']|JSON object"
      })
  void badPatchesAreRefused(String name, String patch, String message) {
    assertThatThrownBy(() -> StrategicMergePatch.apply(read("{}"), read(patch)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }
}
