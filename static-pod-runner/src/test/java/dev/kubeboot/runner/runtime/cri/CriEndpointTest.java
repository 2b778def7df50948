package dev.kubeboot.runner.runtime.cri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Endpoints that are not a CRI runtime: a gRPC server without the CRI services, no socket at all.
 */
class CriEndpointTest {
  @TempDir Path dir;
  private EventLoopGroup group;
  private Server notCri;
  private String endpoint;

  @BeforeEach
  void serveNothing() throws Exception {
    Path socket = dir.resolve("not-cri.sock");
    endpoint = "unix://" + socket;
    group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    notCri =
        NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
            .channelType(EpollServerDomainSocketChannel.class)
            .bossEventLoopGroup(group)
            .workerEventLoopGroup(group)
            .build()
            .start();
  }

  @AfterEach
  void stop() throws Exception {
    notCri.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
  }

  @Test
  void aGrpcServerWithoutCriIsNotAvailable() {
    assertThat(CriContainerRuntime.available(endpoint)).isFalse();
  }

  @Test
  void aGrpcServerWithoutCriIsAClearErrorNamingTheEndpoint() {
    assertThatThrownBy(
            () -> new CriContainerRuntime(CriRuntimeOptions.of(dir).withEndpoint(endpoint)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(
            "the socket " + endpoint + " answers but does not serve the CRI runtime.v1 API")
        .hasMessageContaining("--container-runtime-endpoint");
  }

  @Test
  void noSocketIsAClearErrorNamingTheEndpoint() {
    String missing = "unix://" + dir.resolve("missing.sock");
    assertThatThrownBy(
            () -> new CriContainerRuntime(CriRuntimeOptions.of(dir).withEndpoint(missing)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no CRI socket at " + missing);
  }
}
