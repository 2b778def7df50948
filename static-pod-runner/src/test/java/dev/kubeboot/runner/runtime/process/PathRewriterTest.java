package dev.kubeboot.runner.runtime.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PathRewriterTest {
  private static final PathRewriter REWRITER =
      new PathRewriter(
          List.of(
              new Mount("/etc/kubernetes/pki", Path.of("/srv/pki")),
              new Mount("/etc/kubernetes/pki/etcd", Path.of("/srv/etcd-pki")),
              new Mount("/var/lib/etcd/", Path.of("/data/etcd")),
              new Mount("/etc/kubernetes/scheduler.conf", Path.of("/srv/scheduler.conf")),
              new Mount("/etc/ssl/certs", Path.of("/etc/ssl/certs"))));

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "a path under a mount                         | /etc/kubernetes/pki/ca.crt                |"
            + " /srv/pki/ca.crt",
        "the mount path itself                        | /etc/kubernetes/pki                       |"
            + " /srv/pki",
        "the longest mount wins                       | /etc/kubernetes/pki/etcd/ca.crt           |"
            + " /srv/etcd-pki/ca.crt",
        "a flag value                                 | --cert-file=/etc/kubernetes/pki/a.crt     |"
            + " --cert-file=/srv/pki/a.crt",
        "an env-style value                           | KUBECONFIG=/etc/kubernetes/scheduler.conf |"
            + " KUBECONFIG=/srv/scheduler.conf",
        "a trailing slash on the mountPath is ignored | --data-dir=/var/lib/etcd                  |"
            + " --data-dir=/data/etcd",
        "a file mount                                 | /etc/kubernetes/scheduler.conf            |"
            + " /srv/scheduler.conf",
        "only whole path segments match               | /etc/kubernetes/pkix/ca.crt               |"
            + " /etc/kubernetes/pkix/ca.crt",
        "a prefix of a file mount is no match         | /etc/kubernetes/scheduler.conf.bak        |"
            + " /etc/kubernetes/scheduler.conf.bak",
        "a mount onto the same host path changes nothing | /etc/ssl/certs/x.pem                   |"
            + " /etc/ssl/certs/x.pem",
        "a path elsewhere is kept                     | /usr/bin/etcd                             |"
            + " /usr/bin/etcd",
        "a relative path is kept                      | etc/kubernetes/pki/ca.crt                 |"
            + " etc/kubernetes/pki/ca.crt",
        "a list value is not split                    | --x=a,/etc/kubernetes/pki/ca.crt          |"
            + " --x=a,/etc/kubernetes/pki/ca.crt",
        "a URL is kept                                | https://127.0.0.1:2379                    |"
            + " https://127.0.0.1:2379",
      })
  void rewritesContainerPathsToHostPaths(String name, String value, String expected) {
    assertThat(REWRITER.rewrite(value)).isEqualTo(expected);
  }

  @org.junit.jupiter.api.Test
  void aMountAtTheRootCatchesEveryAbsolutePath() {
    PathRewriter root = new PathRewriter(List.of(new Mount("/", Path.of("/chroot"))));
    assertThat(root.rewrite("/etc/hosts")).isEqualTo("/chroot/etc/hosts");
    assertThat(root.rewrite("/")).isEqualTo("/chroot");
  }
}
