package dev.kubeboot.runner.runtime.cri;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The runtime's CNI settings as containerd 1.6 reports them in its verbose Status. */
class CriPodNetworkTest {
  @Test
  void containerdsConfiguredDirsAndItsLoadedNetworksPlugins() {
    Map<String, String> info =
        Map.of(
            "config",
            """
            {"containerd": {"snapshotter": "overlayfs"},
             "cni": {"binDir": "/usr/lib/cni", "confDir": "/var/lib/test/cni/net.d",
                     "maxConfNum": 1, "confTemplate": "", "ipPref": ""},
             "enableSelinux": false}
            """,
            "cniconfig",
            """
            {"PluginDirs": ["/usr/lib/cni"], "PluginConfDir": "/var/lib/test/cni/net.d",
             "Networks": [
               {"Config": {"Name": "cni-loopback", "CNIVersion": "0.3.1",
                           "Plugins": [{"Network": {"type": "loopback"}}]}, "IFName": "lo"},
               {"Config": {"Name": "kubeboot", "CNIVersion": "1.0.0",
                           "Plugins": [
                             {"Network": {"type": "bridge", "ipam": {"type": "host-local"}}},
                             {"Network": {"type": "portmap", "ipam": {}}}]},
                "IFName": "eth0"}]}
            """);

    CriPodNetwork.RuntimeCni cni = CriPodNetwork.runtimeCni(info);

    assertThat(cni.confDir()).isEqualTo(Path.of("/var/lib/test/cni/net.d"));
    assertThat(cni.binDirs()).containsExactly(Path.of("/usr/lib/cni"));
    assertThat(cni.pluginTypes()).containsExactly("bridge", "host-local", "portmap");
  }

  @Test
  void aRuntimeThatSaysNothingGetsTheKubeletsDefaults() {
    CriPodNetwork.RuntimeCni cni = CriPodNetwork.runtimeCni(Map.of("config", "not json"));

    assertThat(cni.confDir()).isEqualTo(Path.of("/etc/cni/net.d"));
    assertThat(cni.binDirs()).containsExactly(Path.of("/opt/cni/bin"));
    assertThat(cni.pluginTypes()).isEmpty();
  }
}
