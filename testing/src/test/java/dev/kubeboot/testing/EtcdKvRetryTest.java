package dev.kubeboot.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * How the stand-in's etcd client meets etcd's "cannot serve this now" answers, against a scripted
 * gateway that answers what etcd's grpc-gateway answers during a leader election (HTTP 503 with
 * gRPC code 14). Reads are asked again, as clientv3 does for a Range; writes are not.
 */
class EtcdKvRetryTest {
  private static final String LEADER_CHANGED =
      "{\"error\":\"etcdserver: leader changed\",\"message\":\"etcdserver: leader changed\","
          + "\"code\":14}";
  private static final String EMPTY_RANGE = "{\"header\":{\"revision\":\"7\"}}";

  private final Deque<String[]> script = new ArrayDeque<>();
  private final AtomicInteger requests = new AtomicInteger();
  private HttpServer gateway;
  private EtcdKv etcd;

  @BeforeEach
  void start() throws Exception {
    gateway = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    gateway.createContext(
        "/v3/",
        exchange -> {
          requests.incrementAndGet();
          String[] answer;
          synchronized (script) {
            answer = script.size() > 1 ? script.poll() : script.peek();
          }
          byte[] body = answer[1].getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(Integer.parseInt(answer[0]), body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    gateway.start();
    URI uri = URI.create("http://127.0.0.1:" + gateway.getAddress().getPort());
    etcd =
        new EtcdKv(
            List.of(uri),
            SSLContext.getDefault(),
            Duration.ofSeconds(2),
            JsonMapper.builder().build());
  }

  @AfterEach
  void stop() {
    gateway.stop(0);
  }

  private void answer(int status, String body) {
    script.add(new String[] {Integer.toString(status), body});
  }

  @Test
  void aReadDuringALeaderElectionIsAskedAgain() throws Exception {
    answer(503, LEADER_CHANGED);
    answer(503, LEADER_CHANGED);
    answer(200, EMPTY_RANGE);

    EtcdKv.Range range = etcd.range("/registry/configmaps/", 0);

    assertThat(range.revision()).isEqualTo(7);
    assertThat(requests).hasValue(3);
  }

  @Test
  void aReadEtcdKeepsRefusingFailsOnceTheTimeoutHasPassed() {
    answer(503, LEADER_CHANGED);

    assertThatThrownBy(() -> etcd.get("/registry/namespaces/default"))
        .isInstanceOf(EtcdKv.UnavailableException.class)
        .hasMessageContaining("leader changed");
    // Asked again, yet it returned: the request's timeout bounds the tries.
    assertThat(requests.get()).isGreaterThan(1);
  }

  @Test
  void aWriteIsNotRetriedForItMayHaveBeenApplied() {
    answer(503, LEADER_CHANGED);
    answer(200, "{\"header\":{\"revision\":\"8\"},\"succeeded\":true}");

    assertThatThrownBy(() -> etcd.putIfAbsent("/registry/configmaps/default/x", new byte[] {1}))
        .isInstanceOf(EtcdKv.UnavailableException.class)
        .hasMessageContaining("leader changed");
    assertThat(requests).hasValue(1);
  }

  @Test
  void otherRefusalsAreEtcdsVerdictAndAreNotRetried() {
    answer(400, "{\"error\":\"etcdserver: key is not provided\",\"code\":3}");
    answer(200, EMPTY_RANGE);

    assertThatThrownBy(() -> etcd.get("/registry/x"))
        .isInstanceOf(EtcdKv.UnavailableException.class)
        .hasMessageContaining("key is not provided");
    assertThat(requests).hasValue(1);
  }
}
