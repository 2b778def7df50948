package dev.kubeboot.runner.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NetworkConfigListTest {
  static final Path FILE = Path.of("/etc/cni/net.d/10-test.conflist");

  @Test
  void readsAListWithItsPluginsAndBinaries() throws Exception {
    NetworkConfigList net =
        NetworkConfigList.parse(
            FILE,
            """
            {"cniVersion": "1.0.0", "name": "podnet", "plugins": [
              {"type": "bridge", "ipam": {"type": "host-local"}},
              {"type": "portmap", "capabilities": {"portMappings": true}}]}
            """);
    assertThat(net.name()).isEqualTo("podnet");
    assertThat(net.types()).containsExactly("bridge", "portmap");
    assertThat(net.binaries()).containsExactly("bridge", "host-local", "portmap");
    assertThat(net.supportsCheck()).isTrue();
    assertThat(NetworkConfigList.hasCapability(net.plugins().get(1), "portMappings")).isTrue();
  }

  @Test
  void aSinglePluginConfIsAListOfOne() throws Exception {
    NetworkConfigList net =
        NetworkConfigList.parse(
            Path.of("/etc/cni/net.d/87-podman.conf"),
            "{\"cniVersion\": \"0.3.1\", \"name\": \"podman\", \"type\": \"bridge\"}");
    assertThat(net.types()).containsExactly("bridge");
    assertThat(net.plugins().get(0)).doesNotContainKeys("name", "cniVersion");
    assertThat(net.supportsCheck()).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "not JSON|{plugins|: not a JSON object",
        "no version|{\"name\":\"n\",\"plugins\":[{\"type\":\"bridge\"}]}|field cniVersion: missing",
        "old version|{\"cniVersion\":\"0.2.0\",\"name\":\"n\",\"type\":\"bridge\"}|field cniVersion: \"0.2.0\" is not supported",
        "no name|{\"cniVersion\":\"1.0.0\",\"plugins\":[{\"type\":\"bridge\"}]}|field name: missing",
        "bad name|{\"cniVersion\":\"1.0.0\",\"name\":\"a b\",\"plugins\":[{\"type\":\"bridge\"}]}|field name: \"a b\"",
        "no plugins|{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"plugins\":[]}|field plugins: must be a non-empty list",
        "plugin without type|{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"plugins\":[{\"type\":\"bridge\"},{\"capabilities\":{}}]}|field plugins[1].type: missing",
        "type with a path|{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"plugins\":[{\"type\":\"../bin/sh\"}]}|field plugins[0].type: \"../bin/sh\" is not a plugin binary name",
        "plugin not an object|{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"plugins\":[\"bridge\"]}|field plugins[0]: must be a JSON object",
        "capabilities a list|{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"plugins\":[{\"type\":\"portmap\",\"capabilities\":[\"portMappings\"]}]}|field plugins[0].capabilities: must be an object",
        "version a number|{\"cniVersion\":1,\"name\":\"n\",\"type\":\"bridge\"}|field cniVersion: must be a string"
      })
  void anInvalidConfigNamesTheFileAndTheField(String what, String json, String message) {
    assertThatThrownBy(() -> NetworkConfigList.parse(FILE, json))
        .isInstanceOf(CniConfigException.class)
        .hasMessageStartingWith("CNI config " + FILE)
        .hasMessageContaining(message);
  }

  @Test
  void theFirstValidConfigInNameOrderIsTheNetworkAndInvalidOnesArePassedOver(@TempDir Path dir)
      throws Exception {
    Files.writeString(dir.resolve("05-broken.conflist"), "{\"cniVersion\":\"1.0.0\"}");
    Files.writeString(
        dir.resolve("10-good.conflist"),
        "{\"cniVersion\":\"1.0.0\",\"name\":\"good\",\"plugins\":[{\"type\":\"bridge\"}]}");
    Files.writeString(
        dir.resolve("20-later.conf"),
        "{\"cniVersion\":\"1.0.0\",\"name\":\"later\",\"type\":\"x\"}");
    Files.writeString(dir.resolve(".00-temp.conflist"), "garbage");
    Files.writeString(dir.resolve("01-readme.txt"), "not a config");

    CniConfigDir.Scan scan = CniConfigDir.scan(dir);

    assertThat(scan.network()).get().extracting(NetworkConfigList::name).isEqualTo("good");
    assertThat(scan.invalid())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.file()).isEqualTo(dir.resolve("05-broken.conflist"));
              assertThat(e.field()).isEqualTo("name");
            });
  }

  @Test
  void aMissingOrEmptyDirHoldsNoNetwork(@TempDir Path dir) throws Exception {
    assertThat(CniConfigDir.scan(dir.resolve("absent")).network()).isEmpty();
    assertThat(CniConfigDir.scan(dir).network()).isEmpty();
  }

  @Test
  void kubebootsOwnNetworkIsAValidBridgeAndPortmapList() throws Exception {
    String text =
        BridgeNetwork.conflist(
            List.of(Cidr.parse("10.244.0.0/24"), Cidr.parse("fd00:10:244::/64")), "1.0.0");
    NetworkConfigList net = NetworkConfigList.parse(FILE, text);
    assertThat(net.name()).isEqualTo("kubeboot");
    assertThat(net.binaries()).containsExactly("bridge", "host-local", "portmap");
    assertThat(text)
        .contains("\"bridge\" : \"kubeboot0\"")
        .contains("\"subnet\" : \"10.244.0.0/24\"")
        .contains("\"dst\" : \"::/0\"")
        .contains("\"portMappings\" : true");
    assertThat(BridgeNetwork.conflist(List.of(Cidr.parse("10.244.0.0/24")), "1.0.0"))
        .isEqualTo(BridgeNetwork.conflist(List.of(Cidr.parse("10.244.0.0/24")), "1.0.0"));
  }

  @Test
  void writingTheSameNetworkAgainLeavesTheFileAlone(@TempDir Path dir) throws Exception {
    String text = BridgeNetwork.conflist(List.of(Cidr.parse("10.244.0.0/24")), "1.0.0");
    Path file = BridgeNetwork.write(dir, text);
    var modified = Files.getLastModifiedTime(file);
    Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(1000));
    BridgeNetwork.write(dir, text);
    assertThat(Files.getLastModifiedTime(file).toMillis()).isEqualTo(1000);
    BridgeNetwork.write(dir, BridgeNetwork.conflist(List.of(Cidr.parse("10.1.0.0/24")), "1.0.0"));
    assertThat(Files.readString(file)).contains("10.1.0.0/24");
    assertThat(modified).isNotNull();
  }
}
