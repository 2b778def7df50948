package dev.kubeboot.runner.runtime.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubeboot.runner.pod.SecurityContext;
import dev.kubeboot.runner.runtime.ContainerStartException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessIdentityTest {
  @TempDir Path tmp;
  private Passwd passwd;

  @BeforeEach
  void passwd() throws Exception {
    Path file = tmp.resolve("passwd");
    Files.writeString(
        file,
        """
        root:x:0:0:root:/root:/bin/bash
        # a comment
        broken line
        etcd:x:1001:1002::/var/lib/etcd:/usr/sbin/nologin
        nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
        """);
    passwd = new Passwd(file);
  }

  private Optional<ProcessIdentity> requested(Optional<Long> user, Optional<Long> group)
      throws ContainerStartException {
    return ProcessIdentity.requested(
        new SecurityContext(false, user, group), 0, passwd, "container \"c\" of pod ns/p");
  }

  @Test
  void aUserWithoutAGroupGetsItsPrimaryGroupNeverGroupZero() throws Exception {
    assertThat(requested(Optional.of(1001L), Optional.empty()))
        .contains(new ProcessIdentity(1001, 1002, true));
    assertThat(requested(Optional.of(65534L), Optional.empty()))
        .contains(new ProcessIdentity(65534, 65534, true));
  }

  @Test
  void aUserUnknownToPasswdWithoutAGroupIsAConfigError() {
    assertThatThrownBy(() -> requested(Optional.of(4242L), Optional.empty()))
        .isInstanceOfSatisfying(
            ContainerStartException.class,
            e -> assertThat(e.reason()).isEqualTo("CreateContainerConfigError"))
        .hasMessageContaining("container \"c\" of pod ns/p")
        .hasMessageContaining("runAsUser 4242 has no entry in " + tmp.resolve("passwd"))
        .hasMessageContaining("set securityContext.runAsGroup");
  }

  @Test
  void anExplicitGroupWins() throws Exception {
    assertThat(requested(Optional.of(4242L), Optional.of(7L)))
        .contains(new ProcessIdentity(4242, 7, true));
    assertThat(requested(Optional.empty(), Optional.of(7L)))
        .contains(new ProcessIdentity(0, 7, true));
  }

  @Test
  void nothingAskedOrTheRunnersOwnUserKeepsTheRunnersIdentity() throws Exception {
    assertThat(requested(Optional.empty(), Optional.empty())).isEmpty();
    assertThat(requested(Optional.of(0L), Optional.empty())).isEmpty();
  }

  @Test
  void aSwitchedIdentityDropsSupplementaryGroupsAndNewPrivileges() {
    assertThat(new ProcessIdentity(65534, 65534, true).setpriv("/usr/bin/setpriv"))
        .containsExactly(
            "/usr/bin/setpriv",
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            "--no-new-privs",
            "--");
    assertThat(ProcessIdentity.runner(0).setpriv("/usr/bin/setpriv")).isEmpty();
  }
}
