package dev.kubeboot.runner.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.jr.ob.JSON;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime's side of the CNI protocol against scripted plugins that record what they were given:
 * the variables, stdin, order, prevResult and runtimeConfig, and how errors come back.
 */
class CniNetworkTest {
  static final String RESULT =
      "{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"br\"},{\"name\":\"eth0\","
          + "\"sandbox\":\"/run/netns/x\"}],\"ips\":[{\"interface\":1,\"address\":\"10.9.0.5/24\","
          + "\"gateway\":\"10.9.0.1\"},{\"interface\":0,\"address\":\"10.9.0.1/24\"},"
          + "{\"interface\":1,\"address\":\"fd00::5/64\"}]}";

  @TempDir Path dir;
  Path bin;
  Path log;
  CniNetwork cni;

  @BeforeEach
  void plugins() throws Exception {
    bin = Files.createDirectories(dir.resolve("bin"));
    log = dir.resolve("calls.log");
    plugin("first", RESULT, 0);
    plugin("second", RESULT.replace("10.9.0.5", "10.9.0.6"), 0);
    plugin(
        "broken", "{\"cniVersion\":\"1.0.0\",\"code\":11,\"msg\":\"busy\",\"details\":\"x\"}", 1);
    plugin("silent", "", 3);
    cni =
        new CniNetwork(new CniPlugins(List.of(dir.resolve("empty"), bin), Duration.ofSeconds(20)));
  }

  /** A plugin that logs its call, keeps its stdin, prints {@code output} and exits {@code code}. */
  void plugin(String type, String output, int code) throws Exception {
    Path script = bin.resolve(type);
    Files.writeString(
        script,
        "#!/bin/sh\n"
            + "echo \"$CNI_COMMAND "
            + type
            + " $CNI_CONTAINERID $CNI_NETNS $CNI_IFNAME $CNI_ARGS $CNI_PATH\" >> "
            + log
            + "\ncat > "
            + dir
            + "/stdin-"
            + type
            + "-$CNI_COMMAND.json\nprintf '%s' '"
            + output
            + "'\nexit "
            + code
            + "\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  NetworkConfigList net(String... types) throws Exception {
    StringBuilder plugins = new StringBuilder();
    for (String t : types) {
      plugins.append(plugins.isEmpty() ? "" : ",");
      plugins.append("{\"type\":\"").append(t).append("\",\"x\":1");
      if (t.equals("second")) {
        plugins.append(",\"capabilities\":{\"portMappings\":true,\"bandwidth\":true}");
      }
      plugins.append("}");
    }
    return NetworkConfigList.parse(
        Path.of("/etc/cni/net.d/t.conflist"),
        "{\"cniVersion\":\"1.0.0\",\"name\":\"testnet\",\"plugins\":[" + plugins + "]}");
  }

  CniNetwork.Runtime runtime() {
    return new CniNetwork.Runtime(
        new CniPlugins.Call("abc123", "/run/netns/x", "eth0", "K8S_POD_NAME=web"),
        Map.of("portMappings", List.of(new PortMapping(18080, 80, "TCP", "").toCni())));
  }

  Map<String, Object> stdin(String type, String command) throws Exception {
    return JSON.std.mapFrom(
        Files.readString(dir.resolve("stdin-" + type + "-" + command + ".json")));
  }

  @Test
  void addRunsThePluginsInOrderAndChainsTheirResults() throws Exception {
    CniResult result = cni.add(net("first", "second"), runtime());

    assertThat(Files.readAllLines(log))
        .containsExactly(
            "ADD first abc123 /run/netns/x eth0 K8S_POD_NAME=web "
                + dir.resolve("empty")
                + ":"
                + bin,
            "ADD second abc123 /run/netns/x eth0 K8S_POD_NAME=web "
                + dir.resolve("empty")
                + ":"
                + bin);
    Map<String, Object> first = stdin("first", "ADD");
    assertThat(first)
        .containsEntry("cniVersion", "1.0.0")
        .containsEntry("name", "testnet")
        .containsEntry("type", "first")
        .containsEntry("x", 1)
        .doesNotContainKeys("prevResult", "runtimeConfig");
    Map<String, Object> second = stdin("second", "ADD");
    assertThat(second).containsKey("prevResult");
    assertThat(((Map<?, ?>) second.get("prevResult")).get("ips").toString()).contains("10.9.0.5");
    assertThat(second.get("runtimeConfig"))
        .isEqualTo(
            Map.of(
                "portMappings",
                List.of(Map.of("hostPort", 18080, "containerPort", 80, "protocol", "tcp"))));
    assertThat(result.podIPs("eth0")).containsExactly("10.9.0.6", "fd00::5");
  }

  @Test
  void checkRunsInOrderAndDelInReverseWithTheResult() throws Exception {
    NetworkConfigList net = net("first", "second");
    CniResult result = cni.add(net, runtime());
    Files.delete(log);

    cni.check(net, runtime(), result);
    cni.del(net, runtime(), Optional.of(result));

    assertThat(Files.readAllLines(log))
        .extracting(l -> l.substring(0, l.indexOf(" abc123")))
        .containsExactly("CHECK first", "CHECK second", "DEL second", "DEL first");
    assertThat(stdin("first", "DEL").get("prevResult").toString()).contains("10.9.0.6");
  }

  @Test
  void aPluginsErrorObjectBecomesTheMessageAndDelGoesOnPastAFailure() throws Exception {
    assertThatThrownBy(() -> cni.add(net("first", "broken"), runtime()))
        .isInstanceOf(CniException.class)
        .hasMessage("CNI plugin broken ADD failed: busy (x)")
        .extracting(e -> ((CniException) e).code())
        .isEqualTo(11);
    Files.delete(log);

    assertThatThrownBy(() -> cni.del(net("first", "broken"), runtime(), Optional.empty()))
        .hasMessageContaining("broken DEL failed: busy");
    assertThat(Files.readAllLines(log)).hasSize(2);
  }

  @Test
  void aPluginWithoutErrorObjectOrBinaryIsNamed() throws Exception {
    assertThatThrownBy(() -> cni.add(net("silent"), runtime()))
        .hasMessage("CNI plugin silent ADD failed with exit code 3");
    assertThatThrownBy(() -> cni.add(net("bridge"), runtime()))
        .hasMessageContaining(
            "CNI plugin \"bridge\" not found in " + dir.resolve("empty") + ", " + bin)
        .hasMessageContaining("containernetworking-plugins")
        .hasMessageContaining("--cni-bin-dir");
    assertThat(cni.plugins().missing(List.of("first", "bridge", "host-local")))
        .containsExactly("bridge", "host-local");
  }

  @Test
  void versionsBefore04HaveNoCheckAndNoPrevResultOnDel() throws Exception {
    NetworkConfigList old =
        NetworkConfigList.parse(
            Path.of("/etc/cni/net.d/old.conf"),
            "{\"cniVersion\":\"0.3.1\",\"name\":\"old\",\"type\":\"first\"}");
    CniResult result = cni.add(old, runtime());
    Files.delete(log);
    cni.check(old, runtime(), result);
    assertThat(log).doesNotExist();
    cni.del(old, runtime(), Optional.of(result));
    assertThat(stdin("first", "DEL")).doesNotContainKey("prevResult");
  }

  @Test
  void aResultWithABadAddressIsRefused() {
    assertThatThrownBy(() -> CniResult.parse("x", "{\"ips\":[{\"address\":\"nonsense\"}]}"))
        .hasMessageContaining("without a valid address");
    assertThatThrownBy(() -> CniResult.parse("x", "not json"))
        .hasMessageContaining("printed no result object");
  }
}
