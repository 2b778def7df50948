package dev.kubeboot.runner.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubeboot.runner.pod.PodKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control socket serves the runner's user only: the file modes keep others from connecting, and
 * the peer check refuses them even when the modes were loosened. Requests are made with curl, as an
 * operator would; the attacks run as {@code nobody} through setpriv.
 */
@Timeout(60)
class ControlServerTest {
  private static final PodKey KNOWN = new PodKey("kube-system", "kube-apiserver-n1");

  @TempDir Path tmp;
  private Path socket;
  private final List<PodKey> asked = new CopyOnWriteArrayList<>();
  private ControlServer server;

  @BeforeEach
  void start() throws Exception {
    // Every directory above the socket's own is open to all, so only the runner's modes and
    // checks stand between another user and the socket.
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    socket = tmp.resolve("state/control/runner.sock");
    server = ControlServer.start(socket, this::restart);
  }

  private boolean restart(PodKey key) {
    asked.add(key);
    return key.equals(KNOWN);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private record Curl(int exit, String out) {}

  private Curl curl(boolean asNobody, String... args) throws Exception {
    var command = new ArrayList<String>();
    if (asNobody) {
      command.addAll(
          List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"));
    }
    command.addAll(List.of("curl", "-sS", "--max-time", "10", "--unix-socket", socket.toString()));
    command.addAll(List.of("-w", "\n%{http_code}"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    return new Curl(p.exitValue(), out);
  }

  /** The mode of every directory from / to the socket, for a failure's message. */
  private static List<String> modes(Path path) throws Exception {
    var modes = new ArrayList<String>();
    for (Path p = path; p != null; p = p.getParent()) {
      modes.add(p + " " + Integer.toOctalString((Integer) Files.getAttribute(p, "unix:mode")));
    }
    return modes;
  }

  @Test
  void theSocketIsMode0600InADirectoryOfMode0700() throws Exception {
    assertThat(Files.getAttribute(socket, "unix:mode")).isEqualTo(0140600);
    assertThat(Files.getPosixFilePermissions(socket.getParent()))
        .isEqualTo(PosixFilePermissions.fromString("rwx------"));
  }

  @Test
  void theRunnersUserRestartsAPodWithCurl() throws Exception {
    Curl accepted =
        curl(false, "-X", "POST", "http://runner/pods/kube-system/kube-apiserver-n1/restart");
    Curl unknown = curl(false, "-X", "POST", "http://runner/pods/kube-system/etcd-n1/restart");

    assertThat(accepted.out())
        .contains("restarting static pod kube-system/kube-apiserver-n1")
        .endsWith("202");
    assertThat(unknown.out()).contains("kube-system/etcd-n1").endsWith("404");
    assertThat(asked).containsExactly(KNOWN, new PodKey("kube-system", "etcd-n1"));
  }

  @Test
  void otherMethodsAndPathsChangeNothing() throws Exception {
    assertThat(curl(false, "http://runner/pods/kube-system/kube-apiserver-n1/restart").out())
        .endsWith("405");
    assertThat(curl(false, "-X", "POST", "http://runner/pods").out()).endsWith("404");
    assertThat(curl(false, "-X", "DELETE", "http://runner/pods/kube-system/x/restart").out())
        .endsWith("405");
    assertThat(asked).isEmpty();
  }

  @Test
  void anotherUserCannotConnect() throws Exception {
    Curl attack =
        curl(true, "-X", "POST", "http://runner/pods/kube-system/kube-apiserver-n1/restart");

    assertThat(attack.exit()).as(attack.out()).isEqualTo(7); // curl: couldn't connect
    assertThat(attack.out()).endsWith("000"); // no HTTP answer at all
    assertThat(asked).isEmpty();
  }

  @Test
  void anotherUserIsRefusedByThePeerCheckEvenWhenTheModesWereLoosened() throws Exception {
    Files.setPosixFilePermissions(socket.getParent(), PosixFilePermissions.fromString("rwxrwxrwx"));
    Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));

    Curl attack =
        curl(true, "-X", "POST", "http://runner/pods/kube-system/kube-apiserver-n1/restart");

    assertThat(attack.out())
        .as("%s; modes on the way: %s", attack, modes(socket))
        .contains("only user root may use this socket")
        .endsWith("403");
    assertThat(asked).isEmpty();
  }

  @Test
  void aDirectoryOfAnotherUserIsRefused() throws Exception {
    Path dir = tmp.resolve("planted");
    Files.createDirectories(dir);
    Process chown = new ProcessBuilder("chown", "nobody", dir.toString()).inheritIO().start();
    assertThat(chown.waitFor()).isZero();

    assertThatThrownBy(() -> ControlServer.start(dir.resolve("runner.sock"), k -> true))
        .isInstanceOf(ControlSocketException.class)
        .hasMessageContaining(dir.toString())
        .hasMessageContaining("belongs to uid");
    assertThat(dir.resolve("runner.sock")).doesNotExist();
  }

  @Test
  void aLooseDirectoryOfTheRunnersOwnIsTightened() throws Exception {
    Path dir = tmp.resolve("loose");
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));

    try (ControlServer other = ControlServer.start(dir.resolve("runner.sock"), k -> true)) {
      assertThat(Files.getPosixFilePermissions(dir))
          .isEqualTo(PosixFilePermissions.fromString("rwx------"));
    }
  }

  @Test
  void aSecondServerOnALiveSocketIsRefusedAndAStaleSocketIsReplaced() throws Exception {
    assertThatThrownBy(() -> ControlServer.start(socket, k -> true))
        .isInstanceOf(ControlSocketException.class)
        .hasMessageContaining("another runner already listens");

    server.close();
    // What a killed runner leaves: the socket file, nobody behind it.
    server = null;
    try (var stale =
        java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
      stale.bind(java.net.UnixDomainSocketAddress.of(socket));
    }
    assertThat(socket).exists();

    server = ControlServer.start(socket, this::restart);
    assertThat(
            curl(false, "-X", "POST", "http://runner/pods/kube-system/kube-apiserver-n1/restart")
                .out())
        .endsWith("202");
  }

  @Test
  void closingRemovesTheSocket() {
    server.close();
    server = null;
    assertThat(socket).doesNotExist();
  }
}
