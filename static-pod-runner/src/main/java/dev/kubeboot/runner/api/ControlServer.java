package dev.kubeboot.runner.api;

import dev.kubeboot.runner.pod.PodKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runner's control socket: the only way to ask it to change something (the status port is
 * read-only). A unix domain socket of mode 0600 in a directory of mode 0700, both owned by the
 * runner's user, so no other local user can connect; and each connection's peer user, read with
 * {@code SO_PEERCRED}, must be the runner's user too (a socket whose mode someone loosened still
 * serves no one else).
 *
 * <p>One HTTP/1.1 request per connection, so {@code curl --unix-socket} talks to it: {@code POST
 * /pods/<namespace>/<name>/restart} restarts a pod's containers as a crash would, crash backoff
 * included (202; 404 for an unknown pod). Other paths answer 404, other methods 405, other users
 * 403.
 */
public final class ControlServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);
  // Names are DNS labels/subdomains, so neither part can hold a slash.
  private static final Pattern RESTART = Pattern.compile("/pods/([^/]+)/([^/]+)/restart");
  private static final int MAX_REQUEST_HEAD = 8192;

  /** A client that says nothing for this long is cut off, so it cannot hold a connection. */
  static final Duration READ_DEADLINE = Duration.ofSeconds(5);

  private static final Set<PosixFilePermission> DIRECTORY_MODE =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> SOCKET_MODE =
      PosixFilePermissions.fromString("rw-------");

  private final Path socket;
  private final ServerSocketChannel channel;
  private final UserPrincipal owner;
  private final PodRestarter restarter;
  private final ExecutorService connections = Executors.newVirtualThreadPerTaskExecutor();
  private final Thread acceptor;

  private ControlServer(
      Path socket, ServerSocketChannel channel, UserPrincipal owner, PodRestarter restarter) {
    this.socket = socket;
    this.channel = channel;
    this.owner = owner;
    this.restarter = restarter;
    this.acceptor = Thread.ofVirtual().name("control-socket").unstarted(this::acceptLoop);
  }

  /**
   * Creates the socket (and its directory, mode 0700, when missing) and starts serving.
   *
   * @throws ControlSocketException the directory belongs to another user or is a symbolic link,
   *     another runner already listens on the socket, or it cannot be bound (a path longer than the
   *     107 bytes a unix socket address holds)
   */
  public static ControlServer start(Path socket, PodRestarter restarter) {
    Path path = socket.toAbsolutePath().normalize();
    try {
      prepareDirectory(path.getParent());
      removeStale(path);
      ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      try {
        channel.bind(UnixDomainSocketAddress.of(path));
        Files.setPosixFilePermissions(path, SOCKET_MODE);
        UserPrincipal owner = Files.getOwner(path, LinkOption.NOFOLLOW_LINKS);
        ControlServer server = new ControlServer(path, channel, owner, restarter);
        server.acceptor.start();
        return server;
      } catch (IOException | RuntimeException e) {
        channel.close();
        throw e;
      }
    } catch (IOException e) {
      throw new ControlSocketException(
          "cannot create the control socket " + path + ": " + e.getMessage(), e);
    }
  }

  /** The directory is the socket's only guard before the peer check: it must be ours and 0700. */
  private static void prepareDirectory(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectories(dir.getParent());
      try {
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIRECTORY_MODE));
      } catch (java.nio.file.FileAlreadyExistsException raced) {
        // Made meanwhile: checked below like any existing directory.
      }
    }
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      throw new ControlSocketException(
          "the control socket's directory "
              + dir
              + " is not a directory (or is a symbolic link): remove it, or choose another control"
              + " socket path",
          null);
    }
    int dirUid = (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    int selfUid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    if (dirUid != selfUid) {
      throw new ControlSocketException(
          "the control socket's directory "
              + dir
              + " belongs to uid "
              + dirUid
              + ", not to the runner's uid "
              + selfUid
              + ": another user could replace the socket; remove the directory or choose another"
              + " control socket path",
          null);
    }
    if (!Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS).equals(DIRECTORY_MODE)) {
      LOG.info("tightening {} to mode 0700: it holds the runner's control socket", dir);
      Files.setPosixFilePermissions(dir, DIRECTORY_MODE);
    }
  }

  /** A socket file left by a runner that died is removed; one a live runner serves is not. */
  private static void removeStale(Path path) throws IOException {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
      throw new ControlSocketException(
          "another runner already listens on the control socket "
              + path
              + ": stop it, or give this runner another state directory",
          null);
    } catch (IOException nobodyListens) {
      Files.delete(path);
    }
  }

  public Path socket() {
    return socket;
  }

  private void acceptLoop() {
    while (true) {
      SocketChannel client;
      try {
        client = channel.accept();
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        if (!channel.isOpen()) {
          return;
        }
        LOG.warn("control socket {}: accept failed: {}", socket, e.toString());
        continue;
      }
      connections.execute(() -> serve(client));
    }
  }

  private void serve(SocketChannel client) {
    // Cut off a client that never finishes its request.
    var watchdog =
        CompletableFuture.runAsync(
            () -> closeQuietly(client),
            CompletableFuture.delayedExecutor(READ_DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
    try (client) {
      UnixDomainPrincipal peer = client.getOption(ExtendedSocketOptions.SO_PEERCRED);
      // The request is read before any answer, a refusal included: a client that is answered
      // and hung up on before it has sent its request sees a failed connection, not the answer.
      String requestLine = readRequestLine(client);
      if (!peer.user().equals(owner)) {
        LOG.warn(
            "control socket {}: refused a connection from user {}: only {} may use it",
            socket,
            peer.user().getName(),
            owner.getName());
        respond(client, 403, "Forbidden", "only user " + owner.getName() + " may use this socket");
        return;
      }
      if (requestLine == null) {
        respond(client, 400, "Bad Request", "send one HTTP/1.1 request");
        return;
      }
      answer(client, requestLine);
    } catch (IOException e) {
      LOG.debug("control socket {}: {}", socket, e.toString());
    } finally {
      watchdog.cancel(false);
    }
  }

  private void answer(SocketChannel client, String requestLine) throws IOException {
    String[] parts = requestLine.split(" ");
    if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
      respond(client, 400, "Bad Request", "not an HTTP/1.x request line: " + requestLine);
      return;
    }
    String method = parts[0];
    String path = parts[1];
    Matcher m = RESTART.matcher(path);
    if (!m.matches()) {
      respond(client, 404, "Not Found", "404 page not found");
      return;
    }
    if (!method.equals("POST")) {
      respond(client, 405, "Method Not Allowed", "method " + method + " not allowed: use POST");
      return;
    }
    PodKey key = new PodKey(m.group(1), m.group(2));
    if (restarter.restart(key)) {
      LOG.info("control socket: restart of {} requested", key);
      respond(client, 202, "Accepted", "restarting static pod " + key);
    } else {
      respond(client, 404, "Not Found", "static pod " + key + " is not running on this runner");
    }
  }

  /** The request line of a request whose head ended, or null when it did not within the limit. */
  private static String readRequestLine(SocketChannel client) throws IOException {
    var head = new ByteArrayOutputStream();
    ByteBuffer buffer = ByteBuffer.allocate(1024);
    while (head.size() < MAX_REQUEST_HEAD) {
      buffer.clear();
      int n = client.read(buffer);
      if (n < 0) {
        break;
      }
      head.write(buffer.array(), 0, n);
      String text = head.toString(StandardCharsets.ISO_8859_1);
      if (text.contains("\r\n\r\n") || text.contains("\n\n")) {
        return text.lines().findFirst().orElse("").strip();
      }
    }
    return null;
  }

  private static void respond(SocketChannel client, int code, String reason, String body)
      throws IOException {
    byte[] content = (body + "\n").getBytes(StandardCharsets.UTF_8);
    String head =
        "HTTP/1.1 "
            + code
            + " "
            + reason
            + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "
            + content.length
            + "\r\nConnection: close\r\n\r\n";
    ByteBuffer out =
        ByteBuffer.allocate(head.length() + content.length)
            .put(head.getBytes(StandardCharsets.ISO_8859_1))
            .put(content)
            .flip();
    while (out.hasRemaining()) {
      client.write(out);
    }
  }

  private static void closeQuietly(SocketChannel client) {
    try {
      client.close();
    } catch (IOException e) {
      LOG.debug("closing a control connection: {}", e.toString());
    }
  }

  /** Stops serving and removes the socket file. */
  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      LOG.debug("closing the control socket: {}", e.toString());
    }
    try {
      acceptor.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    connections.close();
    try {
      Files.deleteIfExists(socket);
    } catch (IOException e) {
      LOG.warn("cannot remove the control socket {}: {}", socket, e.toString());
    }
  }
}
