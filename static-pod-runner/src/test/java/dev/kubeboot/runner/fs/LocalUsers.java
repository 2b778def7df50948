package dev.kubeboot.runner.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;

/** Another local user for the attacks: {@code nobody}, reached through setpriv as root. */
final class LocalUsers {
  static final int NOBODY_UID = 65534;

  private LocalUsers() {}

  static void assumeRoot() throws IOException {
    assumeTrue(
        (int) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0,
        "the attacks need root, to act as another user");
  }

  static UserPrincipal nobody() throws IOException {
    return Path.of("/")
        .getFileSystem()
        .getUserPrincipalLookupService()
        .lookupPrincipalByName("nobody");
  }

  /** chown nobody, without following a link. */
  static void giveToNobody(Path path) throws IOException {
    Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
        .setOwner(nobody());
  }

  /** Runs {@code command} as nobody:nogroup with no supplementary groups; returns its output. */
  static String asNobody(String... command) throws IOException, InterruptedException {
    var line =
        new ArrayList<>(
            List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"));
    line.addAll(List.of(command));
    Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(String.join(" ", line) + ": " + out).isZero();
    return out;
  }
}
