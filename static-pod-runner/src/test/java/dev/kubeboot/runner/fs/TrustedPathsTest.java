package dev.kubeboot.runner.fs;

import static dev.kubeboot.runner.fs.LocalUsers.asNobody;
import static dev.kubeboot.runner.fs.LocalUsers.assumeRoot;
import static dev.kubeboot.runner.fs.LocalUsers.giveToNobody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The attacks of another local user on the directories root's kubeboot works in. */
class TrustedPathsTest {
  private final TrustedPaths root = new TrustedPaths(Set.of(0));
  @TempDir Path tmp;
  private Path underTmp;

  @BeforeEach
  void rootOnly() throws Exception {
    assumeRoot();
  }

  @AfterEach
  void removeTheDirectoryInTmp() throws Exception {
    if (underTmp != null) {
      new ProcessBuilder("rm", "-rf", "--", underTmp.toString()).start().waitFor();
    }
  }

  @Test
  void rootsOwnDirectoriesBelowTheStickyTmpArePassed() throws Exception {
    Path k = Files.createDirectories(tmp.resolve("k/manifests"));
    assertThat(Path.of("/tmp")).isEqualTo(tmp.getParent());
    assertThat(root.requireTrusted(k)).isEqualTo(k);
  }

  @Test
  void aManifestDirectoryNobodyOwnsIsRefusedNamingItsOwnerAndMode() throws Exception {
    Path manifests = Files.createDirectories(tmp.resolve("k/manifests"));
    giveToNobody(manifests);

    assertThatThrownBy(() -> root.requireTrusted(manifests))
        .isInstanceOfSatisfying(
            UntrustedPathException.class, e -> assertThat(e.offender()).isEqualTo(manifests))
        .hasMessageContaining("refusing " + manifests + ": it is owned by nobody (uid 65534")
        .hasMessageContaining("mode 0755")
        .hasMessageContaining("chown root:root " + manifests);
  }

  @Test
  void aDirectoryNobodyOwnsOnTheWayIsRefused() throws Exception {
    Path k = Files.createDirectories(tmp.resolve("k"));
    Path manifests = Files.createDirectories(k.resolve("manifests"));
    giveToNobody(k);

    assertThatThrownBy(() -> root.requireTrusted(manifests))
        .isInstanceOfSatisfying(
            UntrustedPathException.class, e -> assertThat(e.offender()).isEqualTo(k))
        .hasMessageContaining(k + " on the way to it is owned by nobody");
  }

  @Test
  void aDirectoryNobodyMadeBelowTmpIsRefused() throws Exception {
    underTmp =
        Path.of("/tmp/kubeboot-trust-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
    asNobody("mkdir", "-m", "0755", underTmp.toString());
    Path kubernetes = underTmp.resolve("kubernetes");

    assertThatThrownBy(() -> root.requireTrusted(kubernetes))
        .isInstanceOfSatisfying(
            UntrustedPathException.class, e -> assertThat(e.offender()).isEqualTo(underTmp))
        .hasMessageContaining("is owned by nobody");
  }

  @Test
  void aWorldWritableDirectoryOnTheWayIsRefusedUnlessSticky() throws Exception {
    Path open = Files.createDirectories(tmp.resolve("open"));
    Path k = Files.createDirectories(open.resolve("k"));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));

    assertThatThrownBy(() -> root.requireTrusted(k))
        .hasMessageContaining(open + " on the way to it is writable by every user")
        .hasMessageContaining("mode 0777")
        .hasMessageContaining("chmod go-w " + open);

    Files.setAttribute(open, "unix:mode", 01777);
    assertThat(root.requireTrusted(k)).isEqualTo(k);
  }

  @Test
  void aGroupWritableDirectoryIsRefused() throws Exception {
    Path k = Files.createDirectories(tmp.resolve("k"));
    Files.setPosixFilePermissions(k, PosixFilePermissions.fromString("rwxrwxr-x"));

    assertThatThrownBy(() -> root.requireTrusted(k))
        .hasMessageContaining("refusing " + k + ": it is writable by the members of group root");
  }

  @Test
  void theStickyTmpItselfIsNoPlaceForKubeboot() {
    assertThatThrownBy(() -> root.requireTrusted(Path.of("/tmp")))
        .hasMessageContaining("refusing /tmp: it is writable by every user")
        .hasMessageContaining("a sticky directory is fine on the way, not as kubeboot's own");
  }

  @Test
  void aLinkIsFollowedAndWhereItLeadsIsChecked() throws Exception {
    Path theirs = Files.createDirectories(tmp.resolve("theirs/manifests"));
    giveToNobody(theirs.getParent());
    Path mine = Files.createDirectories(tmp.resolve("mine/manifests"));
    Path toTheirs = Files.createSymbolicLink(tmp.resolve("k1"), theirs.getParent());
    Path toMine = Files.createSymbolicLink(tmp.resolve("k2"), Path.of("mine"));

    assertThat(root.requireTrusted(toMine.resolve("manifests"))).isEqualTo(mine);
    assertThatThrownBy(() -> root.requireTrusted(toTheirs.resolve("manifests")))
        .isInstanceOfSatisfying(
            UntrustedPathException.class,
            e -> assertThat(e.offender()).isEqualTo(theirs.getParent()));
  }

  @Test
  void aLinkNobodyOwnsIsRefusedWhereverItPoints() throws Exception {
    Files.createDirectories(tmp.resolve("mine/manifests"));
    Path link = Files.createSymbolicLink(tmp.resolve("k"), tmp.resolve("mine"));
    giveToNobody(link);

    assertThatThrownBy(() -> root.requireTrusted(link.resolve("manifests")))
        .hasMessageContaining(link + " on the way to it is owned by nobody");
  }

  @Test
  void dotDotAfterALinkClimbsFromWhereTheLinkLeads() throws Exception {
    Path theirs = Files.createDirectories(tmp.resolve("theirs/sub"));
    giveToNobody(theirs.getParent());
    Files.createDirectories(tmp.resolve("x"));
    Path link = Files.createSymbolicLink(tmp.resolve("k"), theirs);

    // Lexically k/../x is tmp/x; the kernel takes it as theirs/x.
    assertThatThrownBy(() -> root.requireTrusted(Path.of(link + "/../x")))
        .isInstanceOfSatisfying(
            UntrustedPathException.class,
            e -> assertThat(e.offender()).isEqualTo(theirs.getParent()));
  }

  @Test
  void aPathThatDoesNotExistYetIsCheckedAsFarAsItExists() throws Exception {
    Path later = tmp.resolve("not/yet/there");
    assertThat(root.requireTrusted(later)).isEqualTo(later);

    Path nobodys = Files.createDirectories(tmp.resolve("nobodys"));
    giveToNobody(nobodys);
    assertThatThrownBy(() -> root.requireTrusted(nobodys.resolve("not/yet")))
        .isInstanceOf(UntrustedPathException.class);
  }

  @Test
  void aUserTrustsTheirOwnDirectories() throws Exception {
    Path k = Files.createDirectories(tmp.resolve("k"));
    giveToNobody(k);
    var nobody = new TrustedPaths(Set.of(0, LocalUsers.NOBODY_UID));

    assertThat(nobody.requireTrusted(k)).isEqualTo(k);
  }

  @Test
  void aServiceUsersDirectoryIsAcceptedWhenOnlyTheWayToItCounts() throws Exception {
    Path data = Files.createDirectories(tmp.resolve("lib/etcd"));
    giveToNobody(data);

    assertThat(root.requireTrustedWayTo(data)).isEqualTo(data);
    assertThatThrownBy(() -> root.requireTrusted(data)).isInstanceOf(UntrustedPathException.class);

    giveToNobody(data.getParent());
    assertThatThrownBy(() -> root.requireTrustedWayTo(data))
        .isInstanceOfSatisfying(
            UntrustedPathException.class,
            e -> assertThat(e.offender()).isEqualTo(data.getParent()));
  }

  @Test
  void aDirectoryNobodyMadeFirstInTmpIsRefusedEvenWhenOnlyTheWayCounts() throws Exception {
    underTmp =
        Path.of("/tmp/kubeboot-trust-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
    asNobody("mkdir", "-m", "0700", underTmp.toString());

    assertThatThrownBy(() -> root.requireTrustedWayTo(underTmp))
        .isInstanceOfSatisfying(
            UntrustedPathException.class, e -> assertThat(e.offender()).isEqualTo(underTmp))
        .hasMessageContaining("it is owned by nobody");
  }
}
