package dev.kubeboot.runner;

import dev.kubeboot.runner.pod.PodKey;
import dev.kubeboot.runner.runtime.ContainerRuntime;
import dev.kubeboot.runner.runtime.LogQuery;
import dev.kubeboot.runner.status.RunnerStatus;
import dev.kubeboot.runner.status.RunnerStatusReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The one client of a runner: its status (read-only HTTP), whether it is the runner a command means
 * ({@link #identify}), pod restarts (the control socket) and container logs (through the runner's
 * {@link ContainerRuntime}, so they read the same on every runtime).
 */
public final class RunnerClient {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(3);

  private final InetSocketAddress statusAddress;
  private final Path stateDir;
  private final Path controlSocket;
  // Built on first use: an HttpClient costs tens of milliseconds of start-up, and some commands
  // build a client they never ask.
  private HttpClient http;

  /**
   * @param statusAddress where the runner answers /healthz and /pods
   * @param stateDir the runner's state directory: its pid file and status.json
   * @param controlSocket the runner's control socket
   */
  public RunnerClient(InetSocketAddress statusAddress, Path stateDir, Path controlSocket) {
    this.statusAddress = Objects.requireNonNull(statusAddress, "statusAddress");
    this.stateDir = stateDir.toAbsolutePath().normalize();
    this.controlSocket = controlSocket.toAbsolutePath().normalize();
  }

  /** The client of the runner this spec describes. */
  public static RunnerClient of(RunnerSpec spec) {
    return new RunnerClient(spec.statusAddress(), spec.stateDir(), spec.controlSocket());
  }

  /** The client of a runner on 127.0.0.1:{@code statusPort} with its control socket's default. */
  public static RunnerClient of(int statusPort, Path stateDir) {
    return new RunnerClient(
        new InetSocketAddress(RunnerSpec.DEFAULT_STATUS_BIND_ADDRESS, statusPort),
        stateDir,
        RunnerSpec.controlSocketIn(stateDir.toAbsolutePath()));
  }

  /** e.g. http://127.0.0.1:10248 */
  public URI statusUri() {
    String host = statusAddress.getHostString();
    return URI.create(
        "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + statusAddress.getPort());
  }

  public int statusPort() {
    return statusAddress.getPort();
  }

  public Path stateDir() {
    return stateDir;
  }

  public Path controlSocket() {
    return controlSocket;
  }

  private HttpClient http() {
    if (http == null) {
      http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    }
    return http;
  }

  /**
   * What answers on the status port, unverified: empty when nothing answers or the answer is not a
   * runner status. Use {@link #identify} before acting on it.
   */
  public Optional<RunnerStatus> status() throws InterruptedException {
    try {
      var response =
          http()
              .send(
                  HttpRequest.newBuilder(statusUri().resolve("/pods"))
                      .timeout(REQUEST_TIMEOUT)
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200
          ? Optional.of(RunnerStatusReader.parse(response.body()))
          : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The last status the runner of this state directory wrote; empty when there is none. */
  public Optional<RunnerStatus> lastState() {
    Path file = stateDir.resolve("status.json");
    try {
      return Files.isRegularFile(file)
          ? Optional.of(RunnerStatusReader.read(file))
          : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Who answers on the status port, as far as a command that means a manifest directory cares. */
  public sealed interface Identity {}

  /** The runner of this state directory answers, and it serves the manifest directory meant. */
  public record Serving(RunnerStatus status) implements Identity {}

  /** Nothing answers on the status port (or not as a runner). */
  public record Absent() implements Identity {}

  /**
   * Something answers that is not the runner meant: another directory's runner, a runner of another
   * state directory, or a process that only looks like one.
   *
   * @param reason what did not match, in words for the user
   */
  public record Foreign(String reason, RunnerStatus answer) implements Identity {}

  /**
   * Checks that the runner answering on the status port is the one this client means: it serves
   * {@code manifestDir}; the pid file in the state directory names a live process (same start time,
   * same command line as when it was written); that process is the one whose status answered; and
   * it holds the listening socket of the port.
   */
  public Identity identify(Path manifestDir) throws InterruptedException {
    return identify(Optional.of(manifestDir));
  }

  /**
   * As {@link #identify(Path)}, for a command that takes whatever manifest directory the runner of
   * this state directory serves ({@code kubeboot logs}).
   */
  public Identity identify() throws InterruptedException {
    return identify(Optional.empty());
  }

  private Identity identify(Optional<Path> manifestDir) throws InterruptedException {
    Optional<RunnerStatus> answer = status();
    if (answer.isEmpty()) {
      return new Absent();
    }
    RunnerStatus status = answer.get();
    Path served = Path.of(status.manifestPath()).toAbsolutePath().normalize();
    String who = "the runner answering on " + statusUri();
    Optional<Path> expected = manifestDir.map(d -> d.toAbsolutePath().normalize());
    if (expected.isPresent() && !served.equals(expected.get())) {
      return new Foreign(who + " serves " + served + ", not " + expected.get(), status);
    }
    Optional<RunnerPidFile> pidFile;
    try {
      pidFile = RunnerPidFile.read(stateDir);
    } catch (IOException e) {
      return new Foreign(who + " cannot be checked: " + e.getMessage(), status);
    }
    if (pidFile.isEmpty()) {
      return new Foreign(
          who
              + " is not the runner of state directory "
              + stateDir
              + ": there is no "
              + RunnerPidFile.FILE_NAME
              + " there (is the runner state directory right?)",
          status);
    }
    long pid = pidFile.get().pid();
    if (pidFile.get().liveProcess().isEmpty()) {
      return new Foreign(
          stateDir.resolve(RunnerPidFile.FILE_NAME)
              + " names pid "
              + pid
              + ", which is no longer that runner, yet something answers on "
              + statusUri(),
          status);
    }
    if (status.pid() != pid) {
      return new Foreign(
          who
              + " says it is pid "
              + status.pid()
              + ", but "
              + stateDir.resolve(RunnerPidFile.FILE_NAME)
              + " names pid "
              + pid,
          status);
    }
    return switch (ListeningSockets.holder(pid, statusAddress.getPort())) {
      case ListeningSockets.Held held -> new Serving(status);
      case ListeningSockets.NotHeld notHeld ->
          new Foreign(
              "pid "
                  + pid
                  + " does not hold port "
                  + statusAddress.getPort()
                  + ": "
                  + who
                  + " is another process",
              status);
      case ListeningSockets.Unknown unknown ->
          new Foreign(who + " cannot be checked: " + unknown.reason() + "; run as root", status);
    };
  }

  /**
   * Asks the runner, through its control socket, to restart every container of {@code pod} as a
   * crash would (crash backoff kept).
   *
   * @return true when the runner accepted, false when it runs no such pod
   * @throws IOException the socket cannot be reached (the message says why: no runner, or not
   *     allowed), or the runner answered something else
   */
  public boolean restart(PodKey pod) throws IOException {
    String path = "/pods/" + pod.namespace() + "/" + pod.name() + "/restart";
    String response;
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      try {
        channel.connect(UnixDomainSocketAddress.of(controlSocket));
      } catch (IOException e) {
        throw new IOException(
            "cannot reach the runner's control socket "
                + controlSocket
                + " ("
                + e.getMessage()
                + "): is the runner running, and are you root?",
            e);
      }
      ByteBuffer request =
          ByteBuffer.wrap(
              ("POST " + path + " HTTP/1.1\r\nHost: runner\r\nContent-Length: 0\r\n\r\n")
                  .getBytes(StandardCharsets.ISO_8859_1));
      while (request.hasRemaining()) {
        channel.write(request);
      }
      var bytes = new ByteArrayOutputStream();
      ByteBuffer buffer = ByteBuffer.allocate(1024);
      while (channel.read(buffer.clear()) >= 0) {
        bytes.write(buffer.array(), 0, buffer.position());
      }
      response = bytes.toString(StandardCharsets.UTF_8);
    }
    String statusLine = response.lines().findFirst().orElse("");
    String[] parts = statusLine.split(" ", 3);
    int code = parts.length >= 2 && parts[1].matches("\\d{3}") ? Integer.parseInt(parts[1]) : -1;
    String body = response.contains("\r\n\r\n") ? response.split("\r\n\r\n", 2)[1].strip() : "";
    return switch (code) {
      case 202 -> true;
      case 404 -> false;
      default ->
          throw new IOException(
              "POST "
                  + path
                  + " on "
                  + controlSocket
                  + " answered \""
                  + statusLine
                  + "\": "
                  + body);
    };
  }

  /** The command a user runs to ask the same restart by hand (curl speaks to unix sockets too). */
  public String restartCommand(PodKey pod) {
    return "curl --unix-socket "
        + controlSocket
        + " -X POST http://runner/pods/"
        + pod.namespace()
        + "/"
        + pod.name()
        + "/restart";
  }

  /**
   * Copies a container's log to {@code out} through the runtime the runner of {@code status} uses,
   * reached the way that runner reaches it.
   *
   * @throws dev.kubeboot.runner.runtime.LogNotFoundException no such container instance or log
   * @throws IllegalStateException the runtime's engine does not answer
   */
  public void copyLog(RunnerStatus status, LogQuery query, OutputStream out)
      throws IOException, InterruptedException {
    var choice = new Runners.RuntimeChoice(status.runtime(), status.runtimeEndpoint());
    try (ContainerRuntime runtime = Runners.open(choice, stateDir, List.of(), Clock.systemUTC())) {
      runtime.copyLog(query, out);
    }
  }
}
