package dev.kubeboot.runner.runtime.cri;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import dev.kubeboot.runner.runtime.ExitStatus;
import dev.kubeboot.runner.runtime.cri.containerd.ContainerdEvents;
import dev.kubeboot.runner.runtime.cri.containerd.EventsGrpc;
import dev.kubeboot.runner.runtime.cri.containerd.TaskEvents;
import dev.kubeboot.runner.runtime.cri.v1.Cri;
import dev.kubeboot.runner.runtime.cri.v1.RuntimeServiceGrpc;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exit events against a scripted runtime on a unix socket: one serving the CRI's
 * GetContainerEvents, one serving only containerd's event service (as containerd 1.6), one serving
 * neither. The poll interval is an hour wherever the events must carry the exit on their own.
 */
@Timeout(60)
class ExitEventsTest {
  private static final Duration HOUR = Duration.ofHours(1);

  @TempDir Path dir;
  private EventLoopGroup group;
  private Server server;
  private CriClient client;
  private ExitPoller poller;
  private ExitEvents events;

  /** What the scripted runtime reports per container; absent: running. */
  private final Map<String, Cri.ContainerStatus> statuses = new ConcurrentHashMap<>();

  private final BlockingQueue<StreamObserver<Cri.ContainerEventResponse>> criStreams =
      new ArrayBlockingQueue<>(4);
  private final BlockingQueue<StreamObserver<ContainerdEvents.Envelope>> containerdStreams =
      new ArrayBlockingQueue<>(4);
  private final BlockingQueue<String> subscribeFilters = new ArrayBlockingQueue<>(4);
  private final BlockingQueue<String> namespaceHeaders = new ArrayBlockingQueue<>(4);
  private final BlockingQueue<String> statusCalls = new ArrayBlockingQueue<>(64);

  private final class Runtime extends RuntimeServiceGrpc.RuntimeServiceImplBase {
    private final boolean criEvents;

    Runtime(boolean criEvents) {
      this.criEvents = criEvents;
    }

    @Override
    public void containerStatus(
        Cri.ContainerStatusRequest request, StreamObserver<Cri.ContainerStatusResponse> out) {
      statusCalls.add(request.getContainerId());
      out.onNext(
          Cri.ContainerStatusResponse.newBuilder()
              .setStatus(scripted(request.getContainerId()))
              .build());
      out.onCompleted();
    }

    @Override
    public void listContainers(
        Cri.ListContainersRequest request, StreamObserver<Cri.ListContainersResponse> out) {
      Cri.ListContainersResponse.Builder list = Cri.ListContainersResponse.newBuilder();
      statuses.forEach(
          (id, s) ->
              list.addContainers(Cri.Container.newBuilder().setId(id).setState(s.getState())));
      out.onNext(list.build());
      out.onCompleted();
    }

    @Override
    public void getContainerEvents(
        Cri.GetContainerEventsRequest request, StreamObserver<Cri.ContainerEventResponse> out) {
      if (criEvents) {
        criStreams.add(out);
      } else {
        super.getContainerEvents(request, out);
      }
    }
  }

  private final class Events extends EventsGrpc.EventsImplBase {
    @Override
    public void subscribe(
        ContainerdEvents.SubscribeRequest request, StreamObserver<ContainerdEvents.Envelope> out) {
      subscribeFilters.add(String.join(" ", request.getFiltersList()));
      containerdStreams.add(out);
    }
  }

  private Cri.ContainerStatus scripted(String id) {
    return statuses.getOrDefault(
        id,
        Cri.ContainerStatus.newBuilder()
            .setId(id)
            .setState(Cri.ContainerState.CONTAINER_RUNNING)
            .build());
  }

  private static Cri.ContainerStatus exited(String id, int code) {
    return Cri.ContainerStatus.newBuilder()
        .setId(id)
        .setState(Cri.ContainerState.CONTAINER_EXITED)
        .setExitCode(code)
        .setFinishedAt(1_700_000_000_000_000_000L)
        .build();
  }

  private void serve(boolean criEvents, boolean containerdEvents, Duration pollInterval)
      throws Exception {
    Path socket = dir.resolve("runtime.sock");
    group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    ServerInterceptor headers =
        new ServerInterceptor() {
          @Override
          public <Q, A> ServerCall.Listener<Q> interceptCall(
              ServerCall<Q, A> call, Metadata md, ServerCallHandler<Q, A> next) {
            String ns =
                md.get(Metadata.Key.of("containerd-namespace", Metadata.ASCII_STRING_MARSHALLER));
            namespaceHeaders.add(ns == null ? "(none)" : ns);
            return next.startCall(call, md);
          }
        };
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
            .channelType(EpollServerDomainSocketChannel.class)
            .bossEventLoopGroup(group)
            .workerEventLoopGroup(group)
            .addService(new Runtime(criEvents));
    if (containerdEvents) {
      builder.addService(ServerInterceptors.intercept(new Events(), headers));
    }
    server = builder.build().start();
    client = new CriClient("unix://" + socket, Duration.ofSeconds(5));
    poller = new ExitPoller(client, pollInterval, Clock.systemUTC());
    events = new ExitEvents(client, poller, Clock.systemUTC());
    poller.start();
    events.start();
  }

  @AfterEach
  void stop() throws Exception {
    if (events != null) {
      events.close();
      poller.close();
      client.close();
    }
    if (server != null) {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void theCriEventStreamCarriesAnExitWithTheRuntimesOwnStatus() throws Exception {
    serve(true, true, HOUR);
    CompletableFuture<ExitStatus> exit = poller.watch("c1");
    StreamObserver<Cri.ContainerEventResponse> stream = criStreams.poll(10, TimeUnit.SECONDS);
    assertThat(stream).isNotNull();

    statuses.put("c1", exited("c1", 3));
    stream.onNext(
        Cri.ContainerEventResponse.newBuilder()
            .setContainerId("c1")
            .setContainerEventType(Cri.ContainerEventType.CONTAINER_STOPPED_EVENT)
            .build());

    ExitStatus status = exit.get(10, TimeUnit.SECONDS);
    assertThat(status.exitCode()).isEqualTo(3);
    assertThat(status.reason()).isEqualTo("Error");
    assertThat(events.source()).isEqualTo(ExitEvents.Source.CRI);
    assertThat(containerdStreams).as("containerd's events are not needed").isEmpty();
  }

  @Test
  void withoutCriEventsContainerdsTaskExitIsFollowedInTheK8sNamespace() throws Exception {
    serve(false, true, HOUR);
    CompletableFuture<ExitStatus> exit = poller.watch("c1");
    StreamObserver<ContainerdEvents.Envelope> stream = containerdStreams.poll(10, TimeUnit.SECONDS);
    assertThat(stream).isNotNull();
    assertThat(subscribeFilters.poll()).isEqualTo("topic==\"/tasks/exit\",namespace==\"k8s.io\"");
    assertThat(namespaceHeaders.poll()).isEqualTo("k8s.io");
    assertThat(events.source()).isEqualTo(ExitEvents.Source.CONTAINERD);

    statuses.put("c1", exited("c1", 137));
    stream.onNext(envelope("k8s.io", "c1", "c1", 137));

    assertThat(exit.get(10, TimeUnit.SECONDS).exitCode()).isEqualTo(137);
  }

  @Test
  void anExitTheRuntimeHasNotRecordedYetIsAskedAgainUntilItHas() throws Exception {
    serve(false, true, HOUR);
    CompletableFuture<ExitStatus> exit = poller.watch("c1");
    StreamObserver<ContainerdEvents.Envelope> stream = containerdStreams.poll(10, TimeUnit.SECONDS);

    stream.onNext(envelope("k8s.io", "c1", "c1", 1));
    // The first answer still says running (containerd publishes the exit before its CRI plugin
    // records it); only then does the runtime show it exited.
    assertThat(statusCalls.poll(10, TimeUnit.SECONDS)).isEqualTo("c1");
    statuses.put("c1", exited("c1", 1));

    assertThat(exit.get(10, TimeUnit.SECONDS).exitCode()).isEqualTo(1);
  }

  @Test
  void aRuntimeWithoutEventsIsPolled() throws Exception {
    serve(false, false, Duration.ofMillis(10));
    CompletableFuture<ExitStatus> exit = poller.watch("c1");
    statuses.put("c1", exited("c1", 2));

    assertThat(exit.get(10, TimeUnit.SECONDS).exitCode()).isEqualTo(2);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (events.source() != ExitEvents.Source.NONE && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(events.source()).isEqualTo(ExitEvents.Source.NONE);
  }

  @Test
  void onlyTheMainProcessOfAContainerInTheK8sNamespaceCounts() {
    assertThat(ExitEvents.taskExit(envelope("k8s.io", "c1", "c1", 0))).contains("c1");
    assertThat(ExitEvents.taskExit(envelope("k8s.io", "c1", "exec-probe-1", 0)))
        .as("an exec'd process")
        .isEmpty();
    assertThat(ExitEvents.taskExit(envelope("moby", "c1", "c1", 0)))
        .as("Docker's namespace")
        .isEmpty();
    ContainerdEvents.Envelope start =
        envelope("k8s.io", "c1", "c1", 0).toBuilder().setTopic("/tasks/start").build();
    assertThat(ExitEvents.taskExit(start)).isEmpty();
    ContainerdEvents.Envelope garbage =
        envelope("k8s.io", "c1", "c1", 0).toBuilder()
            .setEvent(
                Any.newBuilder()
                    .setTypeUrl("containerd.events.TaskExit")
                    .setValue(com.google.protobuf.ByteString.copyFrom(new byte[] {(byte) 0xff})))
            .build();
    assertThat(ExitEvents.taskExit(garbage)).isEmpty();
  }

  private static ContainerdEvents.Envelope envelope(
      String namespace, String containerId, String processId, int exitStatus) {
    TaskEvents.TaskExit exit =
        TaskEvents.TaskExit.newBuilder()
            .setContainerId(containerId)
            .setId(processId)
            .setPid(4242)
            .setExitStatus(exitStatus)
            .build();
    return ContainerdEvents.Envelope.newBuilder()
        .setNamespace(namespace)
        .setTopic("/tasks/exit")
        .setEvent(Any.pack(exit, "types.containerd.io"))
        .build();
  }
}
