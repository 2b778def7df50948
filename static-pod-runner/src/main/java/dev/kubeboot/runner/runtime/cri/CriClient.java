package dev.kubeboot.runner.runtime.cri;

import dev.kubeboot.runner.runtime.cri.containerd.EventsGrpc;
import dev.kubeboot.runner.runtime.cri.v1.Cri;
import dev.kubeboot.runner.runtime.cri.v1.ImageServiceGrpc;
import dev.kubeboot.runner.runtime.cri.v1.RuntimeServiceGrpc;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * One gRPC channel to a CRI endpoint over its unix socket, with a deadline on every call. The
 * channel reconnects by itself when the runtime restarts; {@link #reconnectNow} skips gRPC's own
 * backoff (which grows to two minutes) so the caller's shorter one applies.
 */
final class CriClient implements AutoCloseable {
  /** The API version asked for in Version. */
  static final String API_VERSION = "v1";

  private final String endpoint;
  private final ManagedChannel channel;
  private final Duration callTimeout;

  CriClient(String endpoint, Duration callTimeout) {
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    this.callTimeout = callTimeout;
    this.channel =
        Grpc.newChannelBuilder(target(endpoint), InsecureChannelCredentials.create())
            // The socket path is no host name; the runtime ignores the authority.
            .overrideAuthority("localhost")
            .maxInboundMessageSize(16 * 1024 * 1024)
            .build();
  }

  String endpoint() {
    return endpoint;
  }

  /**
   * The gRPC target of an endpoint: {@code unix:///path} as given, a bare absolute path as {@code
   * unix://} it.
   *
   * @throws IllegalArgumentException neither form
   */
  static String target(String endpoint) {
    if (endpoint.startsWith("unix://")) {
      return endpoint;
    }
    if (endpoint.startsWith("/")) {
      return "unix://" + endpoint;
    }
    throw new IllegalArgumentException(
        "container runtime endpoint \""
            + endpoint
            + "\" is not a unix socket: use unix:///run/containerd/containerd.sock or an absolute"
            + " socket path");
  }

  /** The socket file of an endpoint. */
  static Path socketPath(String endpoint) {
    String target = target(endpoint);
    return Path.of(target.substring("unix://".length()));
  }

  static boolean socketExists(String endpoint) {
    return Files.exists(socketPath(endpoint));
  }

  RuntimeServiceGrpc.RuntimeServiceBlockingStub runtime() {
    return runtime(callTimeout);
  }

  /**
   * A stub whose calls wait (within their deadline) for the channel to be connected: a call made
   * while the runtime restarts completes once it is back instead of failing at once.
   */
  RuntimeServiceGrpc.RuntimeServiceBlockingStub runtime(Duration deadline) {
    return RuntimeServiceGrpc.newBlockingStub(channel)
        .withWaitForReady()
        .withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** A stub that fails at once while the runtime is unreachable. */
  RuntimeServiceGrpc.RuntimeServiceBlockingStub runtimeFailFast() {
    return RuntimeServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(callTimeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * A stub for streams (events): no deadline, and failing at once while the runtime is unreachable,
   * so the caller's backoff decides when to try again.
   */
  RuntimeServiceGrpc.RuntimeServiceBlockingStub runtimeStreams() {
    return RuntimeServiceGrpc.newBlockingStub(channel);
  }

  /**
   * containerd's own event service on the same socket, its calls in the CRI's containerd namespace
   * (the "containerd-namespace" header every containerd API call carries); no deadline.
   */
  EventsGrpc.EventsBlockingStub containerdEvents() {
    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("containerd-namespace", Metadata.ASCII_STRING_MARSHALLER),
        ExitEvents.CONTAINERD_NAMESPACE);
    return EventsGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  ImageServiceGrpc.ImageServiceBlockingStub images(Duration deadline) {
    return ImageServiceGrpc.newBlockingStub(channel)
        .withWaitForReady()
        .withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
  }

  Duration callTimeout() {
    return callTimeout;
  }

  /** Fails fast (no wait for a connection): what tells whether anything answers at all. */
  Cri.VersionResponse version(Duration deadline) {
    return RuntimeServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS)
        .version(Cri.VersionRequest.newBuilder().setVersion(API_VERSION).build());
  }

  void reconnectNow() {
    channel.resetConnectBackoff();
  }

  /** The runtime's own words for a failed call ("rpc error: ..." without gRPC's wrapping). */
  static String message(StatusRuntimeException e) {
    Status s = e.getStatus();
    String description = s.getDescription();
    String text =
        description == null || description.isBlank() ? s.getCode().toString() : description.strip();
    // Transport failures say only "io exception"; the cause says which ("Connection refused").
    if (s.getCause() != null && s.getCause().getMessage() != null) {
      text += ": " + s.getCause().getMessage();
    }
    return text;
  }

  static boolean is(StatusRuntimeException e, Status.Code code) {
    return e.getStatus().getCode() == code;
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
