package dev.kubeboot.runner.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeboot.runner.pod.Container;
import dev.kubeboot.runner.pod.NameResolution;
import dev.kubeboot.runner.pod.NameResolution.DnsOption;
import dev.kubeboot.runner.pod.PodKey;
import dev.kubeboot.runner.pod.PodSpec;
import dev.kubeboot.runner.pod.RestartPolicy;
import dev.kubeboot.runner.pod.StaticPod;
import dev.kubeboot.runner.runtime.EnginePods;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /etc/hosts and resolv.conf of a pod with its own network, as the kubelet writes them. */
class PodHostFilesTest {
  static final String HOST_RESOLV =
      """
      # written by the node's resolver
      domain example.org
      search corp.example.org example.org. .
      nameserver 192.0.2.53
      nameserver 192.0.2.54 ; second
      options ndots:2 timeout:1
      options edns0
      """;

  static StaticPod pod(String name, NameResolution names) {
    Container web = EnginePods.shell("web", "true");
    return new StaticPod(
        new PodKey("default", name),
        "0123456789abcdef0123456789abcdef",
        Path.of("/etc/kubernetes/manifests/web.yaml"),
        Map.of(),
        Map.of(),
        new PodSpec(
            List.of(),
            List.of(web),
            RestartPolicy.ALWAYS,
            false,
            Duration.ofSeconds(30),
            List.of(),
            names),
        Map.of());
  }

  @Test
  void hostsFileHasLocalhostThePodsIpsUnderItsNameAndTheAliases() {
    StaticPod pod =
        pod(
            "static-web-node1",
            new NameResolution(
                "ClusterFirst",
                Optional.empty(),
                Optional.of("sub"),
                List.of(
                    new NameResolution.HostAlias("10.1.2.3", List.of("foo.local", "bar.local"))),
                Optional.empty()));
    assertThat(EtcHosts.content(pod, List.of("10.244.0.5", "fd00::5")))
        .isEqualTo(
            """
            # Kubernetes-managed hosts file.
            127.0.0.1\tlocalhost
            ::1\tlocalhost ip6-localhost ip6-loopback
            fe00::0\tip6-localnet
            fe00::0\tip6-mcastprefix
            fe00::1\tip6-allnodes
            fe00::2\tip6-allrouters
            10.244.0.5\tstatic-web-node1
            fd00::5\tstatic-web-node1

            # Entries added by HostAliases.
            10.1.2.3\tfoo.local\tbar.local
            """);
  }

  @Test
  void theHostNameIsSpecHostnameElseThePodNameCutTo63() {
    String longName = "a".repeat(62) + "-b";
    assertThat(EtcHosts.hostname(pod(longName, NameResolution.DEFAULT))).isEqualTo("a".repeat(62));
    assertThat(
            EtcHosts.hostname(
                pod(
                    "web-node1",
                    new NameResolution(
                        "ClusterFirst",
                        Optional.of("myhost"),
                        Optional.empty(),
                        List.of(),
                        Optional.empty()))))
        .isEqualTo("myhost");
  }

  @Test
  void clusterFirstWithoutClusterDnsFallsBackToTheHostsResolvConf() {
    assertThat(PodDns.of(pod("web", NameResolution.DEFAULT), HOST_RESOLV).render())
        .isEqualTo(
            """
            search corp.example.org example.org
            nameserver 192.0.2.53
            nameserver 192.0.2.54
            options ndots:2 timeout:1 edns0
            """);
  }

  @Test
  void dnsConfigIsAppendedAndItsOptionsWin() {
    NameResolution names =
        new NameResolution(
            "Default",
            Optional.empty(),
            Optional.empty(),
            List.of(),
            Optional.of(
                new NameResolution.DnsConfig(
                    List.of("192.0.2.53", "192.0.2.99", "192.0.2.100"),
                    List.of("example.org", "svc.example.org."),
                    List.of(
                        new DnsOption("ndots", Optional.of("5")),
                        new DnsOption("single-request", Optional.empty())))));
    PodDns dns = PodDns.of(pod("web", names), HOST_RESOLV);
    assertThat(dns.servers()).containsExactly("192.0.2.53", "192.0.2.54", "192.0.2.99");
    assertThat(dns.searches())
        .containsExactly("corp.example.org", "example.org", "svc.example.org");
    assertThat(dns.options()).containsExactly("edns0", "ndots:5", "single-request", "timeout:1");
  }

  @Test
  void policyNoneStartsFromNothing() {
    NameResolution names =
        new NameResolution(
            "None",
            Optional.empty(),
            Optional.empty(),
            List.of(),
            Optional.of(new NameResolution.DnsConfig(List.of("1.1.1.1"), List.of(), List.of())));
    assertThat(PodDns.of(pod("web", names), HOST_RESOLV).render())
        .isEqualTo("nameserver 1.1.1.1\n");
  }

  @Test
  void searchDomainsAreCutToTheResolversLimits() {
    StringBuilder many = new StringBuilder("search");
    for (int i = 0; i < 40; i++) {
      many.append(" d").append(i).append(".example");
    }
    PodDns dns = PodDns.of(pod("web", NameResolution.DEFAULT), many + "\n");
    assertThat(dns.searches()).hasSize(32);
  }

  @Test
  void bothFilesAreWrittenIntoThePodsDirectory(@TempDir Path dir) throws Exception {
    Path resolv = Files.writeString(dir.resolve("host-resolv.conf"), HOST_RESOLV);
    PodHostFiles.Written files =
        new PodHostFiles(resolv)
            .write(dir.resolve("pod"), pod("web", NameResolution.DEFAULT), List.of("10.244.0.9"));
    assertThat(Files.readString(files.hosts())).contains("10.244.0.9\tweb\n");
    assertThat(Files.readString(files.resolvConf())).startsWith("search corp.example.org");
    assertThat(
            new PodHostFiles(dir.resolve("absent"))
                .dns(pod("web", NameResolution.DEFAULT))
                .render())
        .isEmpty();
  }
}
